// Fetches and unpacks the Debian packages the base image is made of. apt resolves the exact
// files (so the cache key changes when Debian ships a security update); the .deb files are
// kept in the cache and checked against apt's SHA256 before use.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.ts';

/** What Node 24 needs at run time (glibc, libstdc++, libgcc_s) plus CA certificates and zones. */
export const BASE_PACKAGES = ['libc6', 'libgcc-s1', 'libstdc++6', 'ca-certificates', 'tzdata'];

export interface Deb {
  pkg: string;
  uri: string;
  file: string;
  size: number;
  sha256: string;
}

/** Asks apt which .deb files it would download, without downloading them. */
export async function resolveDebs(pkgs: string[] = BASE_PACKAGES): Promise<Deb[]> {
  let out: string;
  try {
    out = await run(['apt-get', 'download', '--print-uris', ...pkgs]);
  } catch (err) {
    throw new Error(`apt cannot resolve ${pkgs.join(' ')}; run \`apt-get update\` (tools/images/setup.sh) first\n${(err as Error).message}`);
  }
  const debs: Deb[] = [];
  for (const line of out.split('\n')) {
    const m = /^'([^']+)' (\S+) (\d+) SHA256:([0-9a-f]{64})$/.exec(line.trim());
    if (!m) continue;
    debs.push({ pkg: m[2].split('_')[0], uri: m[1], file: m[2], size: Number(m[3]), sha256: m[4] });
  }
  const missing = pkgs.filter((p) => !debs.some((d) => d.pkg === p));
  if (missing.length) throw new Error(`apt printed no download for ${missing.join(', ')}:\n${out}`);
  return debs;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Downloads the debs that are not cached yet; returns their paths in the order given. */
export async function fetchDebs(debs: Deb[], dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const deb of debs) {
    const path = join(dir, deb.file);
    if (!existsSync(path) || (await sha256File(path)) !== deb.sha256) {
      // apt-get download writes to the cwd; running it as root avoids the _apt sandbox warning.
      try {
        await run(['apt-get', 'download', '-q', '-o', 'APT::Sandbox::User=root', deb.pkg], { cwd: dir });
      } catch (err) {
        throw new Error(`cannot download ${deb.file} (stale package lists? run \`apt-get update\`)\n${(err as Error).message}`);
      }
      const got = existsSync(path) ? await sha256File(path) : 'nothing';
      if (got !== deb.sha256) throw new Error(`${deb.file}: expected sha256 ${deb.sha256}, got ${got}`);
    }
    paths.push(path);
  }
  return paths;
}

/** Unpacks each .deb's data into rootfs (no maintainer scripts run). */
export async function extractDebs(paths: string[], rootfs: string): Promise<void> {
  mkdirSync(rootfs, { recursive: true });
  for (const path of paths) await run(['dpkg-deb', '-x', path, rootfs]);
}

/** The package's control fields, for a distroless-style dpkg status entry that scanners read. */
export async function controlOf(path: string): Promise<string> {
  return run(['dpkg-deb', '-f', path]);
}
