// File-system helpers of the embedded store: names that cannot leave the data directory, and
// writes that are atomic (temp file in the same directory, fsync, rename).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { dns1123SubdomainProblem } from '@tars-ts/api';
import { InvalidError } from '../errors.ts';

/** Throws InvalidError unless `name` is a DNS-1123 subdomain (no `/`, no `..`, ≤ 253 chars). */
export function checkObjectName(name: unknown, what: string): string {
  if (typeof name !== 'string' || name === '') throw new InvalidError(`${what}: metadata.name is required`, [{ field: 'metadata.name', message: 'required' }]);
  const problem = dns1123SubdomainProblem(name);
  if (problem) throw new InvalidError(`${what} ${JSON.stringify(name)} is invalid: metadata.name: ${problem}`, [{ field: 'metadata.name', message: problem }]);
  return name;
}

/**
 * The file of an object: `<name>.json`. Names longer than 200 characters are shortened with a
 * hash (file systems stop at 255 bytes); `~` cannot occur in a valid name, so no collisions.
 */
export function objectFileName(name: string): string {
  if (name.length <= 200) return `${name}.json`;
  return `${name.slice(0, 180)}~${createHash('sha256').update(name).digest('hex').slice(0, 16)}.json`;
}

export async function atomicWrite(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
