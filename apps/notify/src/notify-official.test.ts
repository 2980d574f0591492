// End to end with the official clients: @tars/notify (report/notify → reportNotifyInfo) and the
// old NotifyF proxy it ships (reportServer, notifyServer, getNotifyInfo), against our NotifyObj on
// a real socket, stored in DuckDB through libs/storage. The stored rows must be what was sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { silentLogger } from '@tars-ts/rpc';
import { openDuckDbStore, type MonitorStore, type NotifyRow } from '@tars-ts/storage';
import { startNotifyService, type RunningNotifyService } from './notify-service.ts';

const require = createRequire(import.meta.url);

const T0 = Date.UTC(2024, 0, 1, 2, 0, 0); // 2024-01-01T10:00:00+0800
let tick = 0;
const clock = () => T0 + 1000 * tick++;

async function rowsOf(store: MonitorStore, query: Parameters<MonitorStore['queryNotify']>[0], expected: number): Promise<NotifyRow[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await store.flush();
    const rows = await store.queryNotify({ ...query, limit: 1000 });
    if (rows.length >= expected || Date.now() > deadline) return rows.sort((a, b) => a.timestamp - b.timestamp);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const strip = ({ timestamp: _t, notifyTime: _n, ...rest }: NotifyRow) => rest;

describe('official @tars/notify client against our NotifyObj', () => {
  let store: MonitorStore;
  let svc: RunningNotifyService;
  let comm: { stringToProxy(cls: unknown, obj: string): Record<string, (...a: unknown[]) => Promise<unknown>>; disconnect(): void };
  let legacy: Record<string, (...a: unknown[]) => Promise<any>>;
  let NotifyF: any;

  beforeAll(async () => {
    store = await openDuckDbStore({ namespace: 'tars', path: ':memory:', buffer: { flushIntervalMs: 10 } });
    svc = await startNotifyService({ store, logger: silentLogger, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000', clock, utcOffsetMinutes: 480, limit: { intervalMs: 300_000, count: 4 } });
    // a parsed config (a file name would also make @tars/rpc initialize stat reporting)
    const conf = new (require('@tars/utils').Config)();
    conf.parseText(`<tars>\n<application>\n<server>\napp=Test\nserver=HelloServer\nnotify=${svc.proxyString}\n</server>\n</application>\n</tars>\n`);
    require('@tars/notify').init(conf);
    NotifyF = require('@tars/notify/NotifyFProxy').tars;
    comm = require('@tars/rpc').Communicator.New();
    legacy = comm.stringToProxy(NotifyF.NotifyProxy, svc.proxyString) as typeof legacy;
  });

  afterAll(async () => {
    comm?.disconnect();
    await svc?.stop();
    await store?.close();
  });

  it('report() and notify() arrive as reportNotifyInfo rows, levels from text and enum', async () => {
    const notify = require('@tars/notify');
    notify.report('[alarm] disk full', 'thread-7');
    notify.report('restart');
    notify.notify('business alarm', notify.LEVEL.NOTIFYWARN);
    notify.notify('[error] in text but NOTIFY uses the enum', notify.LEVEL.NOTIFYNORMAL);
    const rows = await rowsOf(store, { app: 'Test', server: 'HelloServer' }, 4);
    expect(rows.map(strip)).toEqual([
      { app: 'Test', server: 'HelloServer', podName: '127.0.0.1', impThread: 'thread-7', level: '[alarm]', message: '[alarm] disk full', source: 'server' },
      { app: 'Test', server: 'HelloServer', podName: '127.0.0.1', impThread: String(process.pid), level: '[normal]', message: 'restart', source: 'server' },
      { app: 'Test', server: 'HelloServer', podName: '127.0.0.1', impThread: String(process.pid), level: '[warn]', message: 'business alarm', source: 'server' },
      { app: 'Test', server: 'HelloServer', podName: '127.0.0.1', impThread: String(process.pid), level: '[normal]', message: '[error] in text but NOTIFY uses the enum', source: 'server' },
    ]);
    // the clock ticks once per accepted call; notifyTime is %FT%T%z in the configured zone
    for (const row of rows) {
      const seconds = row.timestamp - T0 / 1000;
      expect(seconds).toBeGreaterThanOrEqual(0);
      expect(seconds).toBeLessThan(10);
      expect(row.notifyTime).toBe(`2024-01-01T10:00:0${seconds}+0800`);
    }
  });

  it('the legacy reportServer and notifyServer the K8S tarsnode still calls are stored too', async () => {
    await legacy.reportServer('Old.NodeServer', '-1', '[fail] activating failed');
    await legacy.reportServer('Old.NodeServer', '-1', 'no dot in the name goes to app only');
    await legacy.notifyServer('Old.NodeServer', NotifyF.NOTIFYLEVEL.NOTIFYERROR, 'exit code 1');
    await legacy.reportServer('Lonely', '12', '[warn] app only');
    const rows = await rowsOf(store, { app: 'Old' }, 3);
    expect(rows.map(strip)).toEqual([
      { app: 'Old', server: 'NodeServer', podName: '127.0.0.1', impThread: '-1', level: '[error]', message: '[fail] activating failed', source: 'program' },
      { app: 'Old', server: 'NodeServer', podName: '127.0.0.1', impThread: '-1', level: '[normal]', message: 'no dot in the name goes to app only', source: 'program' },
      { app: 'Old', server: 'NodeServer', podName: '127.0.0.1', impThread: '', level: '[error]', message: 'exit code 1', source: 'program' },
    ]);
    const lonely = await rowsOf(store, { app: 'Lonely' }, 1);
    expect(lonely.map(strip)).toEqual([{ app: 'Lonely', server: '', podName: '127.0.0.1', impThread: '12', level: '[warn]', message: '[warn] app only', source: 'program' }]);
  });

  it('getNotifyInfo answers 0 with an empty page, decodable by the old proxy', async () => {
    const key = new NotifyF.NotifyKey();
    key.name = 'Test.HelloServer';
    key.ip = '127.0.0.1';
    key.page = 0;
    const r = await legacy.getNotifyInfo(key);
    expect(r.response.return).toBe(0);
    expect(r.response.arguments.stInfo.nextpage).toBe(0);
    expect(r.response.arguments.stInfo.notifyItems.value).toEqual([]);
  });

  it('the per-server limit drops the excess of one server and not the others', async () => {
    for (let i = 0; i < 6; i++) await legacy.reportServer('Flood.Server', '1', `flood ${i}`);
    await legacy.reportServer('Calm.Server', '1', 'calm');
    // the calls were answered, so every admitted row is queued: one flush writes them all
    const flood = await rowsOf(store, { app: 'Flood' }, 0);
    expect(flood.map((r) => r.message)).toEqual(['flood 0', 'flood 1', 'flood 2', 'flood 3']);
    expect((await rowsOf(store, { app: 'Calm' }, 1)).map((r) => r.message)).toEqual(['calm']);
    expect(svc.counters().rateLimited).toBe(2);
  });
});
