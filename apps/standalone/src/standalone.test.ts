// startStandalone in this process: what it says about the manifests it loads (and the ones it
// cannot), and which service and port it names when a port is taken.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '@tars-ts/rpc';
import { startStandalone } from './standalone.ts';
import { PortError } from './ports.ts';
import { randomPortBase, REPO_ROOT } from './testing/child.ts';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, debug: add('DEBUG'), info: add('INFO'), warn: add('WARN'), error: add('ERROR') };
}

/** Starts on random bases until one has every port free (other tests on this machine use ports too). */
async function startOnFreeBase(o: Omit<Parameters<typeof startStandalone>[0], 'portBase'>) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStandalone({ ...o, portBase: randomPortBase() });
    } catch (e) {
      if (!(e instanceof PortError) || attempt >= 5) throw e;
    }
  }
}

describe('startStandalone', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'standalone-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the example manifests, reports a broken one by file and reason, and still starts', async () => {
    const manifests = join(dir, 'manifests');
    cpSync(join(REPO_ROOT, 'manifests'), manifests, { recursive: true });
    writeFileSync(join(manifests, '30-broken.yaml'), [
      'apiVersion: k8s.tars.io/v1beta3', 'kind: TConfig', 'metadata: {name: broken}', 'app: Demo', 'configName: x.conf', '---',
      'apiVersion: k8s.tars.io/v1beta3', 'kind: TConfig', 'metadata: {name: fine}', 'app: Demo', 'configName: fine.conf', 'configContent: ok', '',
    ].join('\n'));
    const logger = recorder();
    const s = await startOnFreeBase({ dataDir: join(dir, 'data'), manifestsDir: manifests, logger, servers: false });
    try {
      expect(s.manifestReport.rejected).toEqual([expect.objectContaining({ file: '30-broken.yaml', document: 1 })]);
      expect(logger.lines.find((l) => l.startsWith('ERROR manifest 30-broken.yaml document 1 rejected:'))).toMatch(/configContent/);
      expect(logger.lines).toContain(`INFO manifests ${manifests}: ${s.manifestReport.loaded.length} objects (${s.manifestReport.loaded.length} new or changed), 1 rejected`);
      expect(s.manifestReport.loaded.map((l) => `${l.kind}/${l.name}`)).toEqual(expect.arrayContaining([
        'TFrameworkConfig/tars-framework', 'TTemplate/tars.default', 'TServer/tars-tarsregistry', 'TServer/tars-tarsconfig', 'TServer/demo-helloserver', 'TConfig/fine',
      ]));
      expect(s.services.map((x) => x.server)).toEqual(['tarsregistry', 'tarsconfig', 'tarslog', 'tarsnotify', 'tarsproperty', 'tarsqueryproperty', 'tarsquerystat', 'tarsstat']);
      expect(logger.lines.filter((l) => / WARN .*no TServer/.test(l))).toEqual([]);
    } finally {
      expect((await s.stop()).exitCode).toBe(0);
    }
  });

  it('names the service and the port when a port is taken, and leaves nothing running', async () => {
    const base = randomPortBase();
    const taken: Server = createServer();
    const configPort = base + 1111;
    await new Promise<void>((r) => taken.listen(configPort, '127.0.0.1', r));
    try {
      await expect(startStandalone({ dataDir: join(dir, 'data'), manifestsDir: join(REPO_ROOT, 'manifests'), portBase: base, logger: recorder(), servers: false })).rejects.toThrow(
        new RegExp(`127\\.0\\.0\\.1:${configPort} for tars\\.tarsconfig\\.ConfigObj: in use`),
      );
      // Everything it opened was closed again: the registry's port is free.
      const again: Server = createServer();
      await new Promise<void>((resolve, reject) => again.once('error', reject).listen(base + 7890, '127.0.0.1', () => again.close(() => resolve())));
    } finally {
      taken.close();
    }
  });
});
