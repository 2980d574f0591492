import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeExit, JsonLinesExitSink, MemoryExitSink } from './exit-records.ts';
import type { ExitRecord } from './supervisor.ts';

const record = (pid: number, extra: Partial<ExitRecord> = {}): ExitRecord => ({
  app: 'Test', server: 'S', pid, code: 1, signal: null, reason: 'crash', startedAt: 1000, exitedAt: 1500, runtimeMs: 500, restartInMs: 200, ...extra,
});

describe('exit records', () => {
  it('keeps the newest entries first, up to the limit', () => {
    const sink = new MemoryExitSink(3);
    for (let pid = 1; pid <= 5; pid++) sink.record(record(pid));
    expect(sink.list().map((r) => r.pid)).toEqual([5, 4, 3]);
  });

  const lines: Array<[Partial<ExitRecord>, string]> = [
    [{}, 'Test.S pid 7 exited with code 1 (crash, ran 500 ms, restart in 200 ms)'],
    [{ code: null, signal: 'SIGKILL', reason: 'stop', restartInMs: undefined }, 'Test.S pid 7 exited by signal SIGKILL (stop, ran 500 ms, no restart)'],
    [{ pid: 0, reason: 'spawn-failed', error: 'cannot start x: spawn x ENOENT', runtimeMs: 0 }, 'Test.S pid 0 did not start: cannot start x: spawn x ENOENT (spawn-failed, ran 0 ms, restart in 200 ms)'],
  ];
  for (const [extra, text] of lines) it(`describes ${text}`, () => expect(describeExit(record(7, extra))).toBe(text));

  it('appends JSON lines to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tarsnode-exits-'));
    try {
      const sink = new JsonLinesExitSink(join(dir, 'exits.jsonl'));
      await sink.record(record(1));
      await sink.record(record(2, { signal: 'SIGTERM', code: null }));
      const read = readFileSync(join(dir, 'exits.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(read).toEqual([record(1), record(2, { signal: 'SIGTERM', code: null })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
