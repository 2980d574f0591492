// Many callers on separate connections writing the same file at once: every line arrives whole,
// none is lost, and each caller's lines keep their order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { startLogService, type RunningLogService } from './log-service.ts';

const T0 = Date.UTC(2024, 0, 1, 2, 3, 4);
const CALLERS = 4, CALLS = 100, LINES = 10;

describe('concurrent writers', () => {
  let dir: string;
  let svc: RunningLogService;
  const comms: Communicator[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'log-conc-'));
    svc = await startLogService({ logPath: dir, logger: silentLogger, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000', clock: () => T0, utcOffsetMinutes: 0 });
  });

  afterAll(async () => {
    await Promise.all(comms.map((c) => c.close()));
    await svc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every line whole and each caller in order', async () => {
    const info = LogF.LogInfo.create({ appname: 'App', servername: 'Srv', sFilename: 'shared', sFormat: '%Y%m%d' });
    await Promise.all(
      Array.from({ length: CALLERS }, async (_, c) => {
        const comm = new Communicator({ timeout: 10_000 });
        comms.push(comm);
        const log = comm.stringToProxy(LogF.LogProxy, svc.proxyString);
        const calls: Promise<void>[] = [];
        for (let k = 0; k < CALLS; k++) {
          const lines = Array.from({ length: LINES }, (_, i) => `caller ${c} seq ${k * LINES + i} ${'x'.repeat(100)}\n`);
          calls.push(log.loggerbyInfo(info, lines, { context: { node_name: `n${c}` } }));
        }
        await Promise.all(calls);
      }),
    );
    const lines = readFileSync(join(dir, 'App/Srv/App.Srv_shared_20240101.log'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(CALLERS * CALLS * LINES);
    const next = new Array<number>(CALLERS).fill(0);
    for (const line of lines) {
      const m = /^n(\d)\|caller (\d) seq (\d+) x{100}$/.exec(line);
      expect(m, line).not.toBeNull();
      const c = Number(m![2]);
      expect(m![1]).toBe(m![2]);
      expect(Number(m![3])).toBe(next[c]++);
    }
    expect(next).toEqual(new Array(CALLERS).fill(CALLS * LINES));
  });
});
