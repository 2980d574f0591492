// `npm start -- call-demo [name]`: what any Tars client does — ask the registry's locator where
// Demo.HelloServer.HelloObj is, then call it. Nothing but the locator is configured.
import { QueryF } from '@tars-ts/interfaces';
import { Communicator } from '@tars-ts/rpc';
import { HelloProxy } from '../demo/generated/Hello.ts';
import { PortMap } from './ports.ts';

export const DEMO_OBJ = 'Demo.HelloServer.HelloObj';

export function demoLocator(portBase: number, host: string): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `tars.tarsregistry.QueryObj@tcp -h ${h} -p ${new PortMap(portBase).map(17890, 'tars.tarsregistry.QueryObj')}`;
}

/** Resolves and calls the demo; returns the lines to print, throws with a hint when it cannot. */
export async function callDemo(locator: string, name: string): Promise<string[]> {
  const comm = new Communicator({ locator, timeout: 5000 });
  try {
    const query = comm.stringToProxy(QueryF.QueryFProxy, locator);
    let active;
    try {
      active = await query.findObjectById(DEMO_OBJ, { timeout: 3000 });
    } catch (e) {
      throw new Error(`the registry at ${locator} does not answer (${(e as Error).message}); is \`npm start\` running with the same --port-base?`, { cause: e });
    }
    if (active.length === 0) throw new Error(`the registry knows no active endpoint of ${DEMO_OBJ} yet; is the demo running (see the npm start log)?`);
    const where = active.map((e) => `tcp -h ${e.host} -p ${e.port}`).join(', ');
    const hello = comm.stringToProxy(HelloProxy, DEMO_OBJ);
    const answer = await hello.sayHello(name, { timeout: 5000 });
    return [`locator ${locator}`, `resolved ${DEMO_OBJ} -> ${where}`, `sayHello(${JSON.stringify(name)}) = ${JSON.stringify(answer)}`];
  } finally {
    await comm.close();
  }
}
