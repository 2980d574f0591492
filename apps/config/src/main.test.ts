// main.ts as a process against the real kube-apiserver: it syncs, serves ConfigObj on the
// configured adapter with the configured load limit, and exits 0 on SIGTERM.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tarsResource, type KubeClient } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { ConfigF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { freePort } from '@tars-ts/rpc/testing';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describeKube('config main.ts', () => {
  let client: KubeClient;
  let ns: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    client = await testKubeClient();
    await ensureTarsCrds(client);
    ns = await createTestNamespace(client, 'config-main');
    await client.create(tarsResource('TConfig'), ns, { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TConfig', metadata: { name: 'a' }, app: 'Test', server: 'HelloServer', configName: 'a.conf', configContent: 'a=1', podSeq: 'm', activated: true });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (ns) await deleteTestNamespace(client, ns);
  });

  it('serves TConfigs on the configured adapter with the configured limit, stops on SIGTERM', async () => {
    const port = await freePort();
    const overrides = [
      '/tars/application/server/ConfigAdapter<servant>=tars.tarsconfig.ConfigObj',
      `/tars/application/server/ConfigAdapter<endpoint>=tcp -h 127.0.0.1 -p ${port} -t 60000`,
      '/tars<limitinterval>=2',
    ].join('\n');
    child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, TARS_TEST_KUBECONFIG: await testKubeconfigPath(), Namespace: ns, TARS_CONFIG_OVERRIDE: overrides },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const comm = new Communicator({ logger: silentLogger, timeout: 2000 });
    try {
      const proxy = comm.stringToProxy(ConfigF.ConfigProxy, `tars.tarsconfig.ConfigObj@tcp -h 127.0.0.1 -p ${port}`);
      let listed: string[] | undefined;
      for (let i = 0; i < 300 && !listed; i++) {
        listed = await proxy.ListConfig('Test', 'HelloServer').then((r) => r.vf, () => undefined);
        if (!listed) await new Promise((r) => setTimeout(r, 100));
      }
      expect(listed, output).toEqual(['a.conf']);
      const rets: number[] = [];
      for (let i = 0; i < 4; i++) rets.push((await proxy.loadConfig('Test', 'HelloServer', 'a.conf')).ret);
      expect(rets).toEqual([0, 0, 0, 429]);
    } finally {
      await comm.close();
    }
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  }, 90_000);
});
