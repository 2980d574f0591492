// main.ts as a process against the real kube-apiserver with a DuckDB file: it stores the events,
// exits 0 on SIGTERM after writing them, and a second run (a pod restart) adds only the new one.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resources, type KubeClient } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { openDuckDbStore } from '@tars-ts/storage';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describeKube('kevent main.ts', () => {
  let client: KubeClient;
  let ns: string;
  const dir = mkdtempSync(join(tmpdir(), 'kevent-main-'));
  const db = join(dir, 'kevent.duckdb');

  beforeAll(async () => {
    client = await testKubeClient();
    ns = await createTestNamespace(client, 'kevent-main');
  }, 120_000);

  afterAll(async () => {
    if (ns) await deleteTestNamespace(client, ns);
    rmSync(dir, { recursive: true, force: true });
  });

  const event = (name: string) => client.create(Resources.CoreEvent, ns, {
    apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', namespace: ns, name: 'p' }, reason: name, message: name, type: 'Normal',
    firstTimestamp: '2026-11-24T10:00:00Z', lastTimestamp: '2026-11-24T10:00:00Z', count: 1, source: { component: 'test' },
  } as never);

  async function runOnce(): Promise<void> {
    const overrides = ['/tars/storage<backend>=duckdb', `/tars/storage<duckdb>=${db}`, '/tars/storage<namespace>=tars'].join('\n');
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, TARS_TEST_KUBECONFIG: await testKubeconfigPath(), Namespace: ns, TARS_CONFIG_OVERRIDE: overrides }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    for (let i = 0; i < 300 && !output.includes('tarskevent watching events'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain(`tarskevent watching events of ${ns} and cluster-scoped ones in default`);
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  }

  async function storedReasons(): Promise<string[]> {
    const store = await openDuckDbStore({ path: db, namespace: 'tars', compactIntervalMs: 0 });
    try {
      return (await store.queryKEvents({ namespace: ns, limit: 100 })).map((r) => r.event.reason as string).sort();
    } finally {
      await store.close();
    }
  }

  it('stores events and resumes without duplicates after a restart', async () => {
    await event('first');
    await event('second');
    await runOnce();
    expect(await storedReasons()).toEqual(['first', 'second']);
    await event('third');
    await runOnce();
    expect(await storedReasons()).toEqual(['first', 'second', 'third']);
  }, 90_000);
});
