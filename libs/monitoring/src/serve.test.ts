import { MonitorQuery } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { describe, expect, it } from 'vitest';
import { monitorQueryServant } from './monitor-query-servant.ts';
import { serveService, windowedService } from './serve.ts';
import { WindowFlusher } from './window-flusher.ts';

describe('serveService', () => {
  it('serves the servant, starts the service, and on stop closes the server before stopping the service', async () => {
    const events: string[] = [];
    const store = { queryStat: async () => new Map([['', [7]]]) };
    const svc = {
      servant: monitorQueryServant('stat', store, silentLogger),
      start: () => void events.push('start'),
      stop: async () => void events.push('stop'),
    };
    const running = await serveService(svc, { name: 'tars.test.QueryObj', endpoint: 'tcp -h 127.0.0.1 -p 0', logger: silentLogger });
    expect(running.proxyString).toMatch(/^tars\.test\.QueryObj@tcp -h 127\.0\.0\.1 -p [1-9]\d*/);
    const comm = new Communicator({ timeout: 3000 });
    try {
      const { ret, rsp } = await comm.stringToProxy(MonitorQuery.MonitorQueryProxy, running.proxyString).query(MonitorQuery.MonitorQueryReq.create({ date: '20240101' }));
      expect([ret, Object.fromEntries(rsp.result)]).toEqual([0, { '': [7] }]);
    } finally {
      await comm.close();
    }
    expect(events).toEqual(['start']);
    await running.stop();
    expect(events).toEqual(['start', 'stop']);
  });
});

describe('windowedService', () => {
  it('adds the aggregator and flusher counters and runs the flusher', async () => {
    const aggregator = { counters: { entries: 3 }, openRecords: 2, takeDue: () => [], takeAll: () => [{ endMs: 60_000 }] };
    let flushed = 0;
    const flusher = new WindowFlusher<{ endMs: number }, number>({
      kind: 'test', windows: aggregator, logger: silentLogger, clock: () => 0,
      rowsOf: () => [1, 2], write: (rows) => rows.length, flush: async () => void flushed++,
    });
    const svc = windowedService({}, aggregator, flusher);
    expect(svc.counters()).toEqual({ entries: 3, rowsWritten: 0, rowsRefused: 0, windowsWritten: 0, openRecords: 2 });
    await svc.stop();
    expect(svc.counters()).toMatchObject({ rowsWritten: 2, windowsWritten: 1 });
    expect(flushed).toBe(1);
  });
});
