import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogFiles } from './log-files.ts';

describe('LogFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the order of appends to one file while several files are written', async () => {
    const files = new LogFiles({ root: dir });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) writes.push(files.append({ dirs: ['A', `s${i % 3}`], file: 'f.log' }, `${i}\n`));
    await Promise.all(writes);
    await files.close();
    for (let s = 0; s < 3; s++) {
      const expected = Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 3 === s).map((i) => `${i}\n`).join('');
      expect(readFileSync(join(dir, 'A', `s${s}`, 'f.log'), 'utf8')).toBe(expected);
    }
  });

  it('recreates a deleted file once the handle is older than the reopen interval', async () => {
    let now = 0;
    const files = new LogFiles({ root: dir, reopenMs: 10_000, clock: () => now });
    const target = { dirs: ['A', 'B'], file: 'x.log' };
    await files.append(target, 'one\n');
    unlinkSync(join(dir, 'A/B/x.log'));
    now = 5_000;
    await files.append(target, 'lost with the unlinked inode\n');
    now = 10_000;
    await files.append(target, 'two\n');
    await files.close();
    expect(readFileSync(join(dir, 'A/B/x.log'), 'utf8')).toBe('two\n');
  });

  it('keeps at most maxOpen handles', async () => {
    const files = new LogFiles({ root: dir, maxOpen: 4 });
    for (let i = 0; i < 20; i++) await files.append({ dirs: ['A', 'B'], file: `${i}.log` }, `${i}\n`);
    expect(files.openFiles).toBeLessThanOrEqual(4);
    await files.append({ dirs: ['A', 'B'], file: '0.log' }, 'again\n');
    await files.close();
    expect(readFileSync(join(dir, 'A/B/0.log'), 'utf8')).toBe('0\nagain\n');
  });

  it('refuses a target outside the root even if the names were not checked', () => {
    const files = new LogFiles({ root: dir });
    expect(() => files.pathOf({ dirs: ['..', '..'], file: 'etc' })).toThrow(/outside the log directory/);
  });
});
