// The directories of local volumes, below the base the agent's pod mounts (TLVInPod). Every path
// is built from validated segments and checked again here: intermediate directories must be real
// directories (no symlinks), so neither mkdir/chown nor rm -rf ever leaves the base.
import { chmod, chown, lstat, mkdir, realpath, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { segmentProblem } from './volume.ts';

function checkSegments(segments: readonly string[]): void {
  if (segments.length !== 3) throw new Error(`a volume directory has 3 segments below the base, got ${segments.length}`);
  const [ns, appServer, dir] = segments as [string, string, string];
  const dot = appServer.indexOf('.');
  const problem = segmentProblem('namespace', ns)
    ?? (dot < 0 ? `${JSON.stringify(appServer)} is not <App>.<Server>` : segmentProblem('app', appServer.slice(0, dot)) ?? segmentProblem('server', appServer.slice(dot + 1)))
    ?? segmentProblem('dir', dir);
  if (problem) throw new Error(`refusing volume directory: ${problem}`);
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function checkBase(base: string): Promise<string> {
  const real = await realpath(base).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`volume base ${base} is not usable: ${e.code ?? e.message}`);
  });
  if (!(await stat(real)).isDirectory()) throw new Error(`volume base ${base} is not a directory`);
  return real;
}

/** The parent chain `<base>/<ns>/<App>.<Server>`: made when missing (0755), refused when not a real directory. */
async function parentDir(base: string, segments: readonly string[], create: boolean): Promise<string | undefined> {
  let path = base;
  for (const seg of segments.slice(0, 2)) {
    path = join(path, seg);
    const st = await lstatOrUndefined(path);
    if (!st) {
      if (!create) return undefined;
      await mkdir(path, { mode: 0o755 }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
      continue;
    }
    if (!st.isDirectory()) throw new Error(`${path} is not a directory (${st.isSymbolicLink() ? 'a symbolic link' : 'a file'}); refusing to use it`);
  }
  return path;
}

export type SyncResult = 'created' | 'changed' | 'unchanged';

/**
 * Makes `<base>/<segments>` a directory with exactly `mode` and `uid:gid`. A non-directory in
 * its place (file, symlink) is removed first, as upstream does.
 */
export async function syncVolumeDir(base: string, segments: readonly string[], owner: { mode: number; uid: number; gid: number }): Promise<SyncResult> {
  checkSegments(segments);
  const parent = (await parentDir(await checkBase(base), segments, true))!;
  const path = join(parent, segments[2]!);
  let st = await lstatOrUndefined(path);
  let result: SyncResult = 'unchanged';
  if (st && !st.isDirectory()) {
    await unlink(path);
    st = undefined;
  }
  if (!st) {
    await mkdir(path, { mode: 0o700 });
    result = 'created';
    st = await lstat(path);
  }
  // chmod after mkdir: the umask must not narrow the mode asked for.
  if ((st.mode & 0o7777) !== owner.mode || result === 'created') {
    await chmod(path, owner.mode);
    if (result === 'unchanged') result = 'changed';
  }
  if (st.uid !== owner.uid || st.gid !== owner.gid) {
    await chown(path, owner.uid, owner.gid);
    if (result === 'unchanged') result = 'changed';
  }
  return result;
}

/** Removes `<base>/<segments>` and everything in it (symlinks inside are removed, not followed). */
export async function removeVolumeDir(base: string, segments: readonly string[]): Promise<'removed' | 'absent'> {
  checkSegments(segments);
  const parent = await parentDir(await checkBase(base), segments, false);
  if (!parent) return 'absent';
  const path = join(parent, segments[2]!);
  const st = await lstatOrUndefined(path);
  if (!st) return 'absent';
  if (st.isDirectory()) await rm(path, { recursive: true, force: true });
  else await unlink(path);
  return 'removed';
}
