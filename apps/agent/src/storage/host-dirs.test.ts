// Real directories in a temp base; the test runs as root in CI containers, so ownership is
// checked with a foreign uid when it can be, with our own otherwise.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeVolumeDir, syncVolumeDir } from './host-dirs.ts';

const root = process.getuid?.() === 0;
const uid = root ? 12345 : process.getuid!();
const gid = root ? 23456 : process.getgid!();

describe('volume directories', () => {
  let top: string;
  let base: string;
  beforeEach(() => {
    top = mkdtempSync(join(tmpdir(), 'agent-dirs-'));
    base = join(top, 'base');
    mkdirSync(base);
  });
  afterEach(() => rmSync(top, { recursive: true, force: true }));

  it('makes the directory with mode and owner, then reports changes only when there are some', async () => {
    const seg = ['tars', 'Test.HelloServer', 'data'];
    expect(await syncVolumeDir(base, seg, { mode: 0o750, uid, gid })).toBe('created');
    const st = statSync(join(base, ...seg));
    expect(st.isDirectory()).toBe(true);
    expect(st.mode & 0o7777).toBe(0o750);
    expect([st.uid, st.gid]).toEqual([uid, gid]);
    expect(statSync(join(base, 'tars')).mode & 0o777).toBe(0o755);
    expect(await syncVolumeDir(base, seg, { mode: 0o750, uid, gid })).toBe('unchanged');
    expect(await syncVolumeDir(base, seg, { mode: 0o777, uid, gid })).toBe('changed');
    expect(statSync(join(base, ...seg)).mode & 0o7777).toBe(0o777);
  });

  it('replaces a file or symlink standing where the directory goes, without touching the target', async () => {
    const outside = join(top, 'outside');
    mkdirSync(outside, { mode: 0o700 });
    mkdirSync(join(base, 'tars', 'A.B'), { recursive: true });
    symlinkSync(outside, join(base, 'tars', 'A.B', 'data'));
    await syncVolumeDir(base, ['tars', 'A.B', 'data'], { mode: 0o755, uid, gid });
    expect(lstatSync(join(base, 'tars', 'A.B', 'data')).isDirectory()).toBe(true);
    expect(statSync(outside).mode & 0o777).toBe(0o700);
  });

  it('refuses a symlinked parent, and unsafe segments', async () => {
    const outside = join(top, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(base, 'evil'));
    await expect(syncVolumeDir(base, ['evil', 'A.B', 'data'], { mode: 0o755, uid, gid })).rejects.toThrow(/not a directory \(a symbolic link\)/);
    await expect(removeVolumeDir(base, ['evil', 'A.B', 'data'])).rejects.toThrow(/symbolic link/);
    expect(existsSync(join(outside, 'A.B'))).toBe(false);
    await expect(syncVolumeDir(base, ['tars', '..', 'data'], { mode: 0o755, uid, gid })).rejects.toThrow(/refusing/);
    await expect(removeVolumeDir(base, ['tars', 'A.B', '..'])).rejects.toThrow(/refusing/);
    await expect(syncVolumeDir(join(top, 'missing'), ['tars', 'A.B', 'data'], { mode: 0o755, uid, gid })).rejects.toThrow(/not usable: ENOENT/);
  });

  it('removes the directory with its content but not what symlinks inside point at, nor its siblings', async () => {
    const outside = join(top, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep'), 'x');
    await syncVolumeDir(base, ['tars', 'A.B', 'data'], { mode: 0o755, uid, gid });
    await syncVolumeDir(base, ['tars', 'A.B', 'logs'], { mode: 0o755, uid, gid });
    const dir = join(base, 'tars', 'A.B', 'data');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'f'), 'y');
    symlinkSync(outside, join(dir, 'link'));
    expect(await removeVolumeDir(base, ['tars', 'A.B', 'data'])).toBe('removed');
    expect(existsSync(dir)).toBe(false);
    expect(readFileSync(join(outside, 'keep'), 'utf8')).toBe('x');
    expect(existsSync(join(base, 'tars', 'A.B', 'logs'))).toBe(true);
    expect(await removeVolumeDir(base, ['tars', 'A.B', 'data'])).toBe('absent');
    expect(await removeVolumeDir(base, ['other', 'A.B', 'data'])).toBe('absent');
  });
});
