import { AdminF } from '@tars-ts/interfaces';
import { Communicator, createServer, silentLogger, type TarsServer } from '@tars-ts/rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceLogger } from '../logging/logger.ts';
import { AdminServant, ADMIN_SERVANT_NAME, describeAdapters } from './admin-servant.ts';
import { AdminCommands, registerBuiltinCommands } from './commands.ts';

let server: TarsServer | undefined;
let communicator: Communicator | undefined;
afterEach(async () => {
  await communicator?.close();
  await server?.stop(100);
  server = communicator = undefined;
});

async function startAdmin() {
  const logger = new ServiceLogger({ level: 'INFO' });
  const commands = new AdminCommands();
  const shutdowns: string[] = [];
  server = createServer({ logger: silentLogger });
  const srv = server;
  registerBuiltinCommands(commands, {
    setLogLevel: (l) => logger.setLevel(l),
    status: () => ({ app: 'Test', server: 'AdminTest' }),
    connections: () => describeAdapters(srv.adapters),
  });
  commands.register('app.echo', (p) => `echo ${p}`);
  server.addServant(new AdminServant({ commands, shutdown: (reason) => shutdowns.push(reason), pid: 4242 }), ADMIN_SERVANT_NAME, 'tcp -h 127.0.0.1 -p 0 -t 3000');
  await server.start();
  communicator = new Communicator({ logger: silentLogger });
  const proxy = communicator.stringToProxy(AdminF.AdminFProxy, server.proxyString(ADMIN_SERVANT_NAME));
  return { logger, proxy, shutdowns };
}

describe('AdminF over a real socket', () => {
  it('answers getPid and runs notify commands', async () => {
    const { logger, proxy } = await startAdmin();
    expect(await proxy.getPid()).toBe(4242n);
    expect(await proxy.notify('tars.setloglevel ERROR')).toBe('set log level [ERROR] ok');
    expect(logger.level).toBe('ERROR');
    expect(await proxy.notify('app.echo hi there')).toBe('echo hi there');
    expect(await proxy.notify('tars.viewstatus')).toBe('app: Test\nserver: AdminTest');
    expect(await proxy.notify('tars.connection')).toMatch(/^\[adapter:AdminObj\] \[endpoint:tcp -h 127\.0\.0\.1 -p \d+ -t 3000\] \[connections:1\] \[requests:\d+\]/);
    expect(await proxy.notify('nope')).toContain('unknown command "nope"');
  });

  it('starts the shutdown after replying, also when called one-way as tarsnode does', async () => {
    const { proxy, shutdowns } = await startAdmin();
    await proxy.shutdown();
    await new Promise((r) => setImmediate(r));
    expect(shutdowns).toEqual([expect.stringMatching(/^AdminF\.shutdown from 127\.0\.0\.1$/)]);
    await proxy.shutdown({ oneway: true });
    await expect.poll(() => shutdowns.length).toBe(2);
  });

  it('describes having no adapters', () => {
    expect(describeAdapters([])).toBe('no adapters');
  });
});
