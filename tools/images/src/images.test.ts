// The real pipeline: base from Debian packages + Node 24 → app bundle → buildah image → push to
// a docker-registry on a free loopback port → skopeo inspect → run node inside the image.
// Builds the fixture app always and every app whose apps/<app>/src/main.ts exists.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APPS, appExists, appSpec, BASE_IMAGE_NAME, REPO_ROOT, type AppSpec } from './apps.ts';
import { ensureBase, type BaseImage } from './base.ts';
import { Buildah } from './buildah.ts';
import { buildImage, pushImage, type BuiltImage } from './build.ts';
import { NATIVE_PACKAGES } from './bundle.ts';
import { have, run } from './exec.ts';
import { silentLog, stderrLog } from './log.ts';
import { inspectRemote, startRegistry, type LocalRegistry } from './registry.ts';
import { sizeTable, type SizeRow } from './sizes.ts';

const TOOLS = ['buildah', 'skopeo', 'umoci', 'docker-registry', 'apt-get', 'dpkg-deb'];
const missing = TOOLS.filter((t) => !have(t));
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (missing.length && !ci) {
  console.warn(`[images] SKIPPED image tests: ${missing.join(', ')} not installed (run tools/images/setup.sh)`);
}

describe.runIf(missing.length && ci)('image tools in CI', () => {
  test('are installed', () => {
    throw new Error(`CI=true but ${missing.join(', ')} missing: run tools/images/setup.sh before the tests`);
  });
});

describe.skipIf(missing.length > 0)('images', () => {
  // A fixed tag, not removed afterwards: removing an image also drops its untagged parents, the
  // layer cache that makes the next run fast. `cli.ts prune` clears what this leaves behind.
  const tag = 'test';
  const buildah = new Buildah();
  // Build progress in CI (where a cold base build takes a while) or when asked for.
  const log = ci || process.env.IMAGES_TEST_VERBOSE ? stderrLog : silentLog;
  const rows: SizeRow[] = [];
  const containers: string[] = [];
  let tmp: string;
  let registry: LocalRegistry;
  let base: BaseImage;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'images-test-'));
    registry = await startRegistry(join(tmp, 'registry'));
    base = await ensureBase({ buildah, log });
  }, 180_000);

  afterAll(async () => {
    for (const c of containers) await buildah.run(['rm', c]).catch(() => {});
    await registry?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (rows.length) console.log(`[images] sizes measured by the test:\n${sizeTable(rows)}`);
  });

  /** Runs `node args...` inside a fresh container of `ref` (chroot isolation, the image's user). */
  async function nodeIn(ref: string, args: string[], env: string[] = []): Promise<string> {
    const c = (await buildah.run(['from', '-q', '--pull-never', ref])).trim();
    containers.push(c);
    return buildah.run(['run', '--isolation', 'chroot', ...env.flatMap((e) => ['--env', e]), c, '--', 'node', ...args]);
  }

  test('the base is assembled from Debian packages, pushed, and runs Node 24 as user 10000', async () => {
    const local = `localhost/${BASE_IMAGE_NAME}:${tag}`;
    await buildah.run(['tag', base.ref, local]);
    const pushed = await pushImage(buildah, local, `${registry.address}/${BASE_IMAGE_NAME}:${tag}`, log);
    const remote = await inspectRemote(pushed.ref);
    expect(remote.config.User).toBe('10000:10000');
    expect(remote.config.Entrypoint).toEqual(['node']);
    // Debian libraries, the home directory, the Node binary.
    expect(remote.layers).toHaveLength(3);
    expect(remote.layers.every((l) => /gzip/.test(l.mediaType))).toBe(true);

    const out = JSON.parse(await nodeIn(base.ref, ['-p', `JSON.stringify({
      version: process.version, uid: process.getuid(), user: require('os').userInfo().username,
      home: require('os').homedir(), cwd: process.cwd(),
      certs: require('fs').readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8').split('BEGIN CERTIFICATE').length - 1,
      shell: require('fs').existsSync('/bin/sh'),
      tmpWritable: (require('fs').writeFileSync('/tmp/x', 'x'), true),
    })`]));
    expect(out).toMatchObject({ version: base.nodeVersion, uid: 10000, user: 'tars', home: '/home/tars', cwd: '/home/tars', shell: false, tmpWritable: true });
    expect(out.certs).toBeGreaterThan(100);
    const bytes = (await buildah.inspectImage(base.ref)).layers.reduce((a, l) => a + l.size, 0);
    rows.push({ app: 'base', image: BASE_IMAGE_NAME, layers: 3, bytes, ownBytes: bytes, pushedBytes: pushed.bytes, seconds: base.seconds });
  }, 120_000);

  test('the fixture app: bundle → image → push → inspect → runs inside the pushed image', async () => {
    const spec: AppSpec = {
      name: 'hello',
      image: 'tars-ts-test/hello',
      entry: join(REPO_ROOT, 'tools/images/fixtures/hello/src/main.ts'),
      containerfile: join(REPO_ROOT, 'tools/images/fixtures/hello/Containerfile'),
    };
    const built = await buildImage(spec, { buildah, log, base, tag, push: registry.address });
    rows.push(built);
    expect(built.packages).toContain('@duckdb/node-bindings-linux-x64');

    const remote = await inspectRemote(built.remoteRef!);
    expect(remote.config.User).toBe('10000:10000');
    expect(remote.config.Entrypoint).toEqual(['node', '--enable-source-maps', '/app/main.mjs']);
    expect(remote.layers).toHaveLength(5); // base 3 + node_modules + app
    expect(built.pushedBytes).toBe(remote.layers.reduce((a, l) => a + l.size, 0));

    // Pull what the registry holds into a fresh OCI layout and unpack it: the bytes a cluster
    // would get, not the local store.
    const layout = join(tmp, 'oci');
    await run(['skopeo', 'copy', '-q', '--src-tls-verify=false', `docker://${built.remoteRef}`, `oci:${layout}:hello`]);
    await run(['umoci', 'unpack', '--image', `${layout}:hello`, join(tmp, 'bundle')]);
    const rootfs = join(tmp, 'bundle', 'rootfs');
    expect(statSync(join(rootfs, 'app/main.mjs')).uid).toBe(0); // code is not writable by the app
    expect(statSync(join(rootfs, 'app/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so')).size).toBeGreaterThan(1e6);
    expect(statSync(join(rootfs, 'home/tars')).uid).toBe(10000);
    expect(statSync(join(rootfs, 'usr/local/bin/node')).mode & 0o111).toBe(0o111);

    // The entrypoint, run as the image's user, with a time zone from the image's tzdata.
    const out = JSON.parse(await nodeIn(built.ref, ['--enable-source-maps', '/app/main.mjs', 'image'], ['TZ=Asia/Shanghai']));
    expect(out).toMatchObject({ greeting: 'hello, image', yaml: { tars: ['registry', 'node'] }, duckdb: 42, uid: 10000, node: base.nodeVersion });
    expect(out.timeZone).toMatch(/GMT\+0800/);
  }, 150_000);

  for (const app of APPS) {
    const spec = appSpec(app);
    test.runIf(appExists(spec))(`${app}: image builds, pushes, runs as 10000 and holds its bundle`, async () => {
      const built: BuiltImage = await buildImage(spec, { buildah, log, base, tag, push: registry.address });
      rows.push(built);
      const remote = await inspectRemote(built.remoteRef!);
      expect(remote.config.User).toBe('10000:10000');
      const entry = remote.config.Entrypoint ?? [];
      expect(entry[0]).toBe('node');
      expect(remote.layers.length).toBe(built.layers);
      // The entrypoint's script is in the image, the copied packages sit beside it, and the
      // native ones load (their addons link against the image's glibc).
      const script = entry[entry.length - 1];
      const check = `const [script, ...pkgs] = process.argv.slice(1);
        const { join, dirname } = require('path');
        require('fs').accessSync(script);
        for (const p of pkgs) require('fs').accessSync(join(dirname(script), 'node_modules', p, 'package.json'));
        for (const p of ${JSON.stringify(NATIVE_PACKAGES)}) if (pkgs.includes(p)) require('module').createRequire(script)(p);
        console.log('ok')`;
      expect((await nodeIn(built.ref, ['-e', check, script, ...built.packages])).trim()).toBe('ok');
    }, 150_000);
  }
});
