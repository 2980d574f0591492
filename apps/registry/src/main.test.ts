// main.ts as a process against the real kube-apiserver: it syncs, serves on the configured
// adapters, marks its own pod active, and exits 0 on SIGTERM.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Resources, type KubeClient, type Pod } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { QueryF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { freePort } from '@tars-ts/rpc/testing';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describeKube('registry main.ts', () => {
  let client: KubeClient;
  let ns: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    client = await testKubeClient();
    await ensureTarsCrds(client);
    ns = await createTestNamespace(client, 'registry-main');
    await client.create(Resources.Pod, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tars-tarsregistry-0' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'main', image: 'r' }] } });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (ns) await deleteTestNamespace(client, ns);
  });

  it('serves QueryObj, reports its pod active, stops on SIGTERM', async () => {
    const [queryPort, registryPort] = [await freePort(), await freePort()];
    const overrides = [
      `/tars/application/server/QueryAdapter<servant>=tars.tarsregistry.QueryObj`,
      `/tars/application/server/QueryAdapter<endpoint>=tcp -h 127.0.0.1 -p ${queryPort} -t 10000`,
      `/tars/application/server/RegistryAdapter<servant>=tars.tarsregistry.RegistryObj`,
      `/tars/application/server/RegistryAdapter<endpoint>=tcp -h 127.0.0.1 -p ${registryPort} -t 30000`,
    ].join('\n');
    child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, TARS_TEST_KUBECONFIG: await testKubeconfigPath(), Namespace: ns, PodName: 'tars-tarsregistry-0', TARS_CONFIG_OVERRIDE: overrides },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const comm = new Communicator({ logger: silentLogger, timeout: 2000 });
    try {
      const query = comm.stringToProxy(QueryF.QueryFProxy, `tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p ${queryPort}`);
      let answer: string[] | undefined;
      for (let i = 0; i < 300 && !answer; i++) {
        answer = await query.findObjectById('tars.tarsregistry.RegistryObj').then((eps) => eps.map((e) => `${e.host}:${e.port}`), () => undefined);
        if (!answer) await new Promise((r) => setTimeout(r, 100));
      }
      expect(answer, output).toEqual(['tars-tarsregistry:17891']);
      let reason: string | undefined;
      for (let i = 0; i < 100 && reason === undefined; i++) {
        const pod = await client.get<Pod>(Resources.Pod, ns, 'tars-tarsregistry-0');
        reason = pod.status?.conditions?.find((c) => c.type === 'tars.io/active')?.reason;
        if (reason === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(reason).toBe('Active/Active');
    } finally {
      await comm.close();
    }
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  }, 90_000);
});
