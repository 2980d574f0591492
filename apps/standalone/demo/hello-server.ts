// The demo Tars server: Demo.HelloServer with one servant, HelloObj. The node agent starts it with
// the config it rendered from the registry's descriptor (TARS_CONFIG), so it knows its endpoint,
// its locator and the agent's ServerF (heartbeats) without a flag of its own. Its greeting comes
// from the TConfig `HelloServer.conf`, loaded through tars.tarsconfig.ConfigObj.
import { ConfigF } from '@tars-ts/interfaces';
import type { Current } from '@tars-ts/rpc';
import { ServiceHost, TarsConfig } from '@tars-ts/service';
import { HelloServant } from './generated/Hello.ts';

class HelloImp extends HelloServant {
  private readonly greeting: () => string;

  constructor(greeting: () => string) {
    super();
    this.greeting = greeting;
  }

  sayHello(_current: Current, name: string): string {
    return `${this.greeting()}, ${name || 'stranger'}! (from Demo.HelloServer, pid ${process.pid})`;
  }
}

const host = await ServiceHost.start({ version: '1.0.0' });
const { app, server, config } = host.serverConfig;
let greeting = 'Hello';

/** HelloServer.conf from tarsconfig (master + this pod's override); the default stays on failure. */
async function loadGreeting(): Promise<void> {
  if (!config) return;
  try {
    const proxy = host.communicator.stringToProxy(ConfigF.ConfigProxy, config);
    const answer = await proxy.loadConfig(app, server, 'HelloServer.conf', { timeout: 3000 });
    if (answer.ret !== 0) throw new Error(answer.config || `ret ${answer.ret}`);
    greeting = TarsConfig.parse(answer.config, 'HelloServer.conf').get('/hello<greeting>') ?? greeting;
    host.logger.info(`greeting from HelloServer.conf: "${greeting}"`);
  } catch (e) {
    host.logger.warn(`cannot load HelloServer.conf (${(e as Error).message}); greeting stays "${greeting}"`);
  }
}

await loadGreeting();
host.admin.register('hello.reload', async () => (await loadGreeting(), `greeting is "${greeting}"`), 'reload HelloServer.conf');
host.addServant(new HelloImp(() => greeting), `${app}.${server}.HelloObj`);
await host.listen();

// The node agent that started us runs in the standalone process; if that one is killed outright
// (no chance to stop us), do not linger holding the port: our parent changes when it dies.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void host.stop('the node agent (our parent process) is gone');
}, 1000).unref();
