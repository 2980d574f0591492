// The base every app image starts FROM: glibc, libstdc++, CA certificates and time zones
// unpacked from Debian packages, the Node 24 binary (stripped), and a non-root user 10000. No
// shell, no package manager. The image is tagged with a hash of everything that goes into it,
// so an unchanged base is never rebuilt.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BASE_IMAGE_NAME, REPO_ROOT } from './apps.ts';
import { Buildah } from './buildah.ts';
import { BASE_PACKAGES, controlOf, extractDebs, fetchDebs, resolveDebs, sha256File, type Deb } from './debs.ts';
import { have, run } from './exec.ts';
import { stderrLog, timed, type Log } from './log.ts';

/** Bump when the assembly below changes in a way the hashed inputs do not show. */
const ASSEMBLY_VERSION = '1';
export const BASE_UID = 10000;

/** Unpacked files Node never reads: docs, iconv modules (Node has ICU), leap-second zones. */
const PRUNE = [
  'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/lintian', 'usr/share/locale',
  'usr/share/gcc', 'usr/share/gdb', 'usr/share/zoneinfo/right', 'usr/sbin', 'etc/ca-certificates',
];

export interface BaseOptions {
  buildah?: Buildah;
  log?: Log;
  root?: string;
  /** The Node binary to ship; default the repo's node@24 devDependency. */
  nodeBinary?: string;
}

export interface BaseImage {
  /** Local reference, `localhost/tars.base:<key>`. */
  ref: string;
  key: string;
  /** False when the image was already in the store. */
  built: boolean;
  seconds: number;
  nodeVersion: string;
}

export async function ensureBase(opts: BaseOptions = {}): Promise<BaseImage> {
  const root = opts.root ?? REPO_ROOT;
  const log = opts.log ?? stderrLog;
  const buildah = opts.buildah ?? new Buildah();
  const start = performance.now();
  const containerfile = join(root, 'docker', 'base', 'Containerfile');
  const node = opts.nodeBinary ?? join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node)) throw new Error(`no Node binary at ${node}; run npm install (node@24 is a devDependency)`);
  const nodeVersion = (await run([node, '--version'])).trim();
  if (!nodeVersion.startsWith('v24.')) throw new Error(`${node} is ${nodeVersion}, the images need Node 24`);

  const { debs, nodeSha } = await baseInputs(buildah.root, node);
  const hash = createHash('sha256')
    .update(`assembly ${ASSEMBLY_VERSION}\n`)
    .update(readFileSync(containerfile))
    .update(debs.map((d) => `${d.file} ${d.sha256}\n`).join(''))
    .update(`node ${nodeSha}\n`);
  const key = hash.digest('hex').slice(0, 16);
  const ref = `localhost/${BASE_IMAGE_NAME}:${key}`;
  if (await buildah.hasImage(ref)) {
    log(`base: ${ref} is cached (Node ${nodeVersion}, ${debs.map((d) => d.file).join(' ')})`);
    return { ref, key, built: false, seconds: (performance.now() - start) / 1000, nodeVersion };
  }

  log(`base: assembling ${ref} from ${debs.length} Debian packages and Node ${nodeVersion}`);
  const cache = buildah.root;
  const ctx = join(cache, 'base', `${key}-${process.pid}`); // per process: builds may overlap
  rmSync(ctx, { recursive: true, force: true });
  const paths = await timed(log, 'base: fetched .deb files', () => fetchDebs(debs, join(cache, 'debs')));
  await timed(log, 'base: unpacked and pruned the root filesystem', async () => {
    await extractDebs(paths.value, join(ctx, 'rootfs'));
    await finishRootfs(join(ctx, 'rootfs'), paths.value);
    mkdirSync(join(ctx, 'home', 'tars'), { recursive: true });
  });
  await timed(log, 'base: copied the Node binary', () => copyNode(node, join(ctx, 'node', 'node')));
  await timed(log, `base: buildah bud ${ref}`, () =>
    buildah.run(['bud', '--layers', '--isolation', 'chroot', '-q', '-f', containerfile, '-t', ref,
      '--label', `org.opencontainers.image.title=${BASE_IMAGE_NAME}`,
      '--label', `io.tars-ts.node.version=${nodeVersion}`, ctx]));
  rmSync(ctx, { recursive: true, force: true });
  await dropOldBases(buildah, key, log);
  return { ref, key, built: true, seconds: (performance.now() - start) / 1000, nodeVersion };
}

/** Removes bases built from older inputs; their layers are otherwise kept forever. */
async function dropOldBases(buildah: Buildah, key: string, log: Log): Promise<void> {
  const names = (await buildah.run(['images', '--format', '{{.Name}}:{{.Tag}}'])).split('\n');
  const old = names.filter((n) => n.startsWith(`localhost/${BASE_IMAGE_NAME}:`) && /:[0-9a-f]{16}$/.test(n) && !n.endsWith(`:${key}`));
  for (const ref of old) {
    // Still used by a container or another tag: keep it, prune will get it later.
    await buildah.run(['rmi', ref]).then(() => log(`base: removed ${ref}`), () => {});
  }
}

/**
 * The .deb files apt would fetch and the Node binary's hash. Asking apt takes ~3 s (it reads
 * all package lists), so the answer is remembered until the lists or the binary change.
 */
async function baseInputs(cache: string, node: string): Promise<{ debs: Deb[]; nodeSha: string }> {
  const lists = '/var/lib/apt/lists';
  const listsStamp = existsSync(lists)
    ? readdirSync(lists).map((f) => `${f}:${statSync(join(lists, f)).mtimeMs}`).sort().join(',')
    : 'none';
  const n = statSync(node);
  const stamp = JSON.stringify({ packages: BASE_PACKAGES, listsStamp, node: [node, n.size, n.mtimeMs] });
  const memo = join(cache, 'base', 'inputs.json');
  try {
    const saved = JSON.parse(readFileSync(memo, 'utf8'));
    if (saved.stamp === stamp) return { debs: saved.debs, nodeSha: saved.nodeSha };
  } catch {
    // no memo yet, or unreadable: ask again
  }
  const inputs = { debs: await resolveDebs(BASE_PACKAGES), nodeSha: await sha256File(node) };
  mkdirSync(join(cache, 'base'), { recursive: true });
  writeFileSync(memo, JSON.stringify({ stamp, ...inputs }));
  return inputs;
}

/** Removes what Node never reads and adds the few files a Debian postinst would have made. */
async function finishRootfs(rootfs: string, debPaths: string[]): Promise<void> {
  for (const p of PRUNE) rmSync(join(rootfs, p), { recursive: true, force: true });
  for (const dir of readdirSync(join(rootfs, 'usr', 'lib'))) {
    rmSync(join(rootfs, 'usr', 'lib', dir, 'gconv'), { recursive: true, force: true });
  }

  const etc = join(rootfs, 'etc');
  writeFileSync(join(etc, 'passwd'), [
    'root:x:0:0:root:/root:/usr/sbin/nologin',
    `tars:x:${BASE_UID}:${BASE_UID}:tars:/home/tars:/usr/sbin/nologin`,
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin', '',
  ].join('\n'));
  writeFileSync(join(etc, 'group'), ['root:x:0:', `tars:x:${BASE_UID}:`, 'nogroup:x:65534:', ''].join('\n'));
  writeFileSync(join(etc, 'nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
  // update-ca-certificates would build this bundle; Node reads it with --use-openssl-ca or
  // NODE_EXTRA_CA_CERTS, other tools by default.
  const certs = listFiles(join(rootfs, 'usr', 'share', 'ca-certificates')).filter((f) => f.endsWith('.crt')).sort();
  if (certs.length < 100) throw new Error(`only ${certs.length} CA certificates unpacked; ca-certificates looks broken`);
  mkdirSync(join(etc, 'ssl', 'certs'), { recursive: true });
  writeFileSync(join(etc, 'ssl', 'certs', 'ca-certificates.crt'), certs.map((f) => readFileSync(f, 'utf8').trimEnd() + '\n').join(''));
  if (existsSync('/etc/os-release')) copyFileSync('/etc/os-release', join(etc, 'os-release'));

  // Scanners (trivy, grype) read distroless-style status files to know what is installed.
  const status = join(rootfs, 'var', 'lib', 'dpkg', 'status.d');
  mkdirSync(status, { recursive: true });
  for (const path of debPaths) {
    const control = await controlOf(path);
    const name = /^Package: (\S+)/m.exec(control)?.[1] ?? basename(path, '.deb');
    writeFileSync(join(status, name), control);
  }

  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
}

/** Strips the symbol tables (126 MB → 108 MB for Node 24.21) when binutils is there. */
async function copyNode(from: string, to: string): Promise<void> {
  mkdirSync(join(to, '..'), { recursive: true });
  if (have('strip')) await run(['strip', '--strip-all', '-o', to, from]);
  else copyFileSync(from, to);
  chmodSync(to, 0o755);
  await run([to, '--version']);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}
