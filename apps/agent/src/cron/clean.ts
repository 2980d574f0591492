// The built-in log cleanup: what `find DIR -type f -name PAT -mtime +N -delete` does, without a
// shell or find in the image. Regular files only; symlinks are neither followed nor deleted;
// directories below DIR are searched (not crossing into symlinked ones).
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CleanCommand } from './crontab.ts';

const DAY_MS = 86_400_000;

/** fnmatch(3) for one file name: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`, backslash escapes. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]!);
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface CleanResult {
  deleted: string[];
  errors: string[];
}

/** Deletes the matching files whose age in whole days is more than `days` (find's `-mtime +days`). */
export async function runClean(cmd: CleanCommand, now: number = Date.now()): Promise<CleanResult> {
  const patterns = cmd.names.map(globToRegExp);
  const result: CleanResult = { deleted: [], errors: [] };
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') result.errors.push(`${dir}: ${code ?? (e as Error).message}`);
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && patterns.some((p) => p.test(entry.name))) {
        try {
          const st = await lstat(path);
          if (!st.isFile() || Math.floor((now - st.mtimeMs) / DAY_MS) <= cmd.days) continue;
          await unlink(path);
          result.deleted.push(path);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'ENOENT') result.errors.push(`${path}: ${code ?? (e as Error).message}`);
        }
      }
    }
  };
  await walk(cmd.dir);
  return result;
}
