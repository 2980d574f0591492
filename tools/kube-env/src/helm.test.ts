// helm (v3.17.2 from the npm layer zip) runs, and installs a chart into the shared env through
// the env's kubeconfig.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HELM_VERSION, helmPath } from './paths.ts';
import { describeWithKube } from './testing.ts';

const run = promisify(execFile);
const suffix = randomBytes(3).toString('hex');

describeWithKube('helm', (kube) => {
  const ns = `kube-env-helm-${suffix}`;
  let home: string;
  let helmEnv: NodeJS.ProcessEnv;
  const helm = (...args: string[]) => run(helmPath(), args, { env: helmEnv });

  beforeAll(() => {
    // helm writes caches and its repository config under these; keep them out of $HOME.
    home = mkdtempSync(join(tmpdir(), 'kube-env-helm-'));
    helmEnv = {
      PATH: process.env.PATH,
      KUBECONFIG: kube().kubeconfigPath,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    };
  });
  afterAll(async () => {
    await helm('uninstall', 'demo', '-n', ns).catch(() => {});
    const kc = new KubeConfig();
    kc.loadFromFile(kube().kubeconfigPath);
    await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: ns }).catch(() => {});
    rmSync(home, { recursive: true, force: true });
  });

  it(`reports version ${HELM_VERSION}`, async () => {
    const { stdout } = await helm('version', '--short');
    expect(stdout.trim()).toMatch(new RegExp(`^${HELM_VERSION.replaceAll('.', '\\.')}\\+g[0-9a-f]+$`));
  });

  it('installs a chart whose objects then exist on the apiserver', async () => {
    const chart = join(home, 'demo');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'values.yaml'), 'greeting: hello\n');
    writeFileSync(
      join(chart, 'templates', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
    );
    await helm('install', 'demo', chart, '-n', ns, '--create-namespace', '--set', 'greeting=hi', '--wait', '--timeout', '60s');

    const { stdout } = await helm('list', '-n', ns, '-o', 'json');
    expect(JSON.parse(stdout)).toMatchObject([{ name: 'demo', status: 'deployed', chart: 'demo-0.1.0' }]);
    const kc = new KubeConfig();
    kc.loadFromFile(kube().kubeconfigPath);
    const cm = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace: ns, name: 'demo-settings' });
    expect(cm.data).toEqual({ greeting: 'hi' });
  });
});
