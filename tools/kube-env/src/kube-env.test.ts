// startKubeEnv() itself: token auth and TLS work, stop() leaves nothing behind, startup failures
// explain themselves, and an owner killed with SIGKILL does not leak servers.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { startKubeEnv, KubeEnvStartError } from './kube-env.ts';
import { probeOnce } from './readiness.ts';
import { describeWithKubeBinaries } from './testing.ts';

/** Alive and not a zombie (an orphan's zombie lingers until PID 1 reaps it). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describeWithKubeBinaries('startKubeEnv', () => {
  it('serves TLS verified by caFile, authenticates the token, and stop() removes every trace', async () => {
    const env = await startKubeEnv({ controllerManager: false });
    try {
      const ca = readFileSync(env.caFile, 'utf8');
      expect(env.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ok = await probeOnce({ url: `${env.server}/api/v1/namespaces/default`, ca, token: env.token });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body).metadata.name).toBe('default');
      const wrongToken = await probeOnce({ url: `${env.server}/api/v1/namespaces`, ca, token: 'not-the-token' });
      expect(wrongToken.status).toBe(401);
      await expect(probeOnce({ url: `${env.server}/readyz` })).rejects.toThrow(/certificate/);

      const kubeconfig = JSON.parse(readFileSync(env.kubeconfigPath, 'utf8'));
      expect(kubeconfig.clusters[0].cluster.server).toBe(env.server);
      expect(kubeconfig.users[0].user.token).toBe(env.token);
      expect(env.pids.controllerManager).toBeUndefined();
    } finally {
      await env.stop();
    }
    expect(isRunning(env.pids.etcd)).toBe(false);
    expect(isRunning(env.pids.apiserver)).toBe(false);
    expect(existsSync(env.dir)).toBe(false);
    await env.stop(); // idempotent
  });

  it('reports why the apiserver did not start, with the tail of its log', async () => {
    const failure = startKubeEnv({ controllerManager: false, apiserverArgs: ['--no-such-flag=1'] });
    await expect(failure).rejects.toBeInstanceOf(KubeEnvStartError);
    await expect(failure).rejects.toThrow(/kube-apiserver exited during startup[\s\S]*unknown flag: --no-such-flag/);
  });

  it('stops the servers when the owning process is killed without calling stop()', async () => {
    const script = fileURLToPath(new URL('./orphan-owner.fixture.ts', import.meta.url));
    const owner = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const started = await new Promise<{ etcd: number; apiserver: number; dir: string }>((resolve, reject) => {
      let out = '';
      owner.stdout.setEncoding('utf8');
      owner.stdout.on('data', (c: string) => {
        out += c;
        if (out.includes('\n')) resolve(JSON.parse(out));
      });
      owner.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    expect(isRunning(started.apiserver)).toBe(true);
    owner.kill('SIGKILL');
    await expect
      .poll(() => isRunning(started.apiserver) || isRunning(started.etcd) || existsSync(started.dir), {
        timeout: 15_000,
        interval: 250,
      })
      .toBe(false);
  });
});
