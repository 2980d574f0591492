// The entry point as a process: a bad command line is refused with the reason and the usage.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const main = join(import.meta.dirname, 'main.ts');
const run = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 20_000 });

describe('main.ts', () => {
  it('exits 2 with the reason and the usage on a bad command line', () => {
    const r = run('controller', '--workers', 'lots');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--workers: want an integer');
    expect(r.stderr).toContain('usage: tarscontroller <controller|webhook>');
    expect(run('scheduler').stderr).toContain('want exactly one role');
    expect(run('webhook', '--bogus').status).toBe(2);
  });
});
