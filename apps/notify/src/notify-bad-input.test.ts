// A ReportInfo without its required fields is answered with an error naming the field; nothing
// is stored, and the server keeps serving on the same connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyF } from '@tars-ts/interfaces';
import { Communicator, ServantProxy, ServerError, silentLogger, type MethodDescriptor } from '@tars-ts/rpc';
import { openDuckDbStore, type MonitorStore } from '@tars-ts/storage';
import { startNotifyService, type RunningNotifyService } from './notify-service.ts';

// reportNotifyInfo whose struct carries only eType and sApp (sSet, sContainer, ... are required)
const truncated: MethodDescriptor = {
  name: 'reportNotifyInfo',
  params: [
    {
      name: 'info', tag: 1, out: false, tupType: 'tars.ReportInfo',
      write(w, tag, v) {
        w.writeStructBegin(tag);
        w.writeInt32(1, 0);
        w.writeString(2, v as string);
        w.writeStructEnd();
      },
      read: () => '',
      empty: () => '',
    },
  ],
};

class TruncatedNotify extends ServantProxy {
  send(app: string): Promise<unknown> {
    return this.invoke(truncated, [app]);
  }
}

describe('malformed reportNotifyInfo', () => {
  let store: MonitorStore;
  let svc: RunningNotifyService;
  let comm: Communicator;

  beforeAll(async () => {
    store = await openDuckDbStore({ namespace: 'tars', path: ':memory:' });
    svc = await startNotifyService({ store, logger: silentLogger, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000' });
    comm = new Communicator({ timeout: 5000 });
  });

  afterAll(async () => {
    await comm?.close();
    await svc?.stop();
    await store?.close();
  });

  it('answers -1 naming the missing field, stores nothing, keeps serving', async () => {
    const bad = comm.stringToProxy(TruncatedNotify, svc.proxyString);
    const error = await bad.send('Broken').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).code).toBe(-1);
    expect((error as ServerError).desc).toMatch(/tars\.ReportInfo: required field sSet is missing/);

    const good = comm.stringToProxy(NotifyF.NotifyProxy, svc.proxyString);
    await good.reportNotifyInfo(NotifyF.ReportInfo.create({ sApp: 'Fine', sServer: 'Server', sMessage: 'ok' }));
    await store.flush();
    expect((await store.queryNotify({})).map((r) => `${r.app}.${r.server}:${r.message}`)).toEqual(['Fine.Server:ok']);
    expect(svc.counters().received).toBe(1);
  });
});
