// startKubeEnv(): a private etcd + kube-apiserver (+ kube-controller-manager) on free loopback
// ports, with fresh credentials in a temp dir. Returns plain connection data and stop().
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCredentials } from './credentials.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { BUILD_HINT, kubeBinaries, missingBinaries } from './paths.ts';
import { freePorts } from './ports.ts';
import { killNow, spawnLogged, stopProcess, tailOf, type ManagedProcess } from './processes.ts';
import { waitUntilHealthy } from './readiness.ts';
import { startWatchdog } from './watchdog.ts';

export interface KubeEnvOptions {
  /** Start kube-controller-manager (garbage collection, namespace deletion, Deployments→ReplicaSets, SA tokens). Default true. */
  controllerManager?: boolean;
  /** Working dir for keys, certs, kubeconfig and logs (created if missing). Default: a fresh temp dir. Either way stop() removes it. */
  dir?: string;
  /** How long to wait for /readyz (and the controller-manager's /healthz). Default 60 s. */
  readyTimeoutMs?: number;
  /** Extra kube-apiserver flags (e.g. --feature-gates=...). */
  apiserverArgs?: string[];
  /** Extra kube-controller-manager flags. */
  controllerManagerArgs?: string[];
  /** Progress messages (default: silent). */
  log?: (message: string) => void;
}

export interface KubeEnv {
  /** https://127.0.0.1:<port> */
  server: string;
  /** Bearer token of "admin" (group system:masters). */
  token: string;
  /** PEM file that verifies the server's certificate. */
  caFile: string;
  /** kubeconfig with server, inlined CA and token; usable by kubectl, helm and client-node. */
  kubeconfigPath: string;
  /** The env's working dir (removed by stop()). */
  dir: string;
  etcdUrl: string;
  logs: { etcd: string; apiserver: string; controllerManager?: string };
  /** Milliseconds from starting etcd until /readyz said ok and the default namespace existed. */
  readyMs: number;
  pids: { etcd: number; apiserver: number; controllerManager?: number };
  /** Stops every process (group-wide) and removes the temp dirs. Safe to call twice. */
  stop(): Promise<void>;
}

const MAX_ATTEMPTS = 3;
// Processes of all live envs, killed synchronously if the process exits without stop().
const live = new Set<{ processes: ManagedProcess[]; dirs: string[] }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const env of live) {
      env.processes.forEach(killNow);
      for (const d of env.dirs) rmSync(d, { recursive: true, force: true });
    }
  });
}

export class KubeEnvStartError extends Error {
  override name = 'KubeEnvStartError';
  portConflict = false;
}

export async function startKubeEnv(opts: KubeEnvOptions = {}): Promise<KubeEnv> {
  const missing = missingBinaries();
  if (missing.length > 0) {
    throw new KubeEnvStartError(`kube env binaries missing: ${missing.join(', ')}. Build them with: ${BUILD_HINT}`);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (err instanceof KubeEnvStartError && err.portConflict && attempt < MAX_ATTEMPTS) {
        opts.log?.(`port taken by another process between choosing and binding it; retrying (${attempt}/${MAX_ATTEMPTS})`);
        continue;
      }
      throw err;
    }
  }
}

async function startOnce(opts: KubeEnvOptions): Promise<KubeEnv> {
  const log = opts.log ?? (() => {});
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const bins = kubeBinaries();
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'tars-kube-env-'));
  mkdirSync(dir, { recursive: true });
  // etcd fsyncs every write; on tmpfs that costs nothing, which matters for test speed.
  const etcdData = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/tars-kube-env-etcd-') : join(dir, 'etcd-data');
  const dirsToRemove = [dir, etcdData];

  const [etcdPort, peerPort, apiPort, kcmPort] = await freePorts(4);
  const creds = generateCredentials();
  const files = {
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
    tokens: join(dir, 'tokens.csv'),
    certDir: join(dir, 'certs'),
    caFile: join(dir, 'certs', 'apiserver.crt'),
    kubeconfig: join(dir, 'kubeconfig'),
    groups: join(dir, 'process-groups'),
  };
  writeFileSync(files.saKey, creds.serviceAccountKey, { mode: 0o600 });
  writeFileSync(files.saPub, creds.serviceAccountPub);
  writeFileSync(files.tokens, creds.tokenFile, { mode: 0o600 });

  const processes: ManagedProcess[] = [];
  const entry = { processes, dirs: dirsToRemove };
  live.add(entry);
  installExitHook();
  const watchdog = startWatchdog(files.groups, dirsToRemove);
  const spawnGuarded = (name: string, cmd: string, args: string[], logFile: string) => {
    const p = spawnLogged(name, cmd, args, logFile);
    if (p.child.pid !== undefined) watchdog.guard(p.child.pid);
    processes.push(p);
    return p;
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Reverse order: clients before the servers they talk to.
    for (const p of [...processes].reverse()) await stopProcess(p);
    for (const d of dirsToRemove) rmSync(d, { recursive: true, force: true });
    watchdog.dismiss();
    live.delete(entry);
  };
  const exitedReason = (p: ManagedProcess) => (p.hasExited() ? `${p.name} exited during startup` : undefined);

  const started = Date.now();
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const logs: KubeEnv['logs'] = { etcd: join(dir, 'etcd.log'), apiserver: join(dir, 'kube-apiserver.log') };
  try {
    const etcd = spawnGuarded(
      'etcd',
      bins.etcd,
      [
        '--name=default',
        `--data-dir=${etcdData}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        '--log-level=warn',
        '--logger=zap',
      ],
      logs.etcd,
    );
    await waitUntilHealthy({ url: `${etcdUrl}/health` }, { timeoutMs, fatal: () => exitedReason(etcd) });
    log(`etcd healthy on ${etcdUrl} after ${Date.now() - started} ms`);

    const apiserver = spawnGuarded(
      'kube-apiserver',
      bins.kubeApiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--cert-dir=${files.certDir}`,
        `--token-auth-file=${files.tokens}`,
        '--authorization-mode=RBAC',
        `--service-account-key-file=${files.saPub}`,
        `--service-account-signing-key-file=${files.saKey}`,
        '--service-account-issuer=https://kubernetes.default.svc',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--allow-privileged=true',
        '--profiling=false',
        ...(opts.apiserverArgs ?? []),
      ],
      logs.apiserver,
    );
    const server = `https://127.0.0.1:${apiPort}`;
    // The apiserver writes its self-signed certificate on startup; that file is the CA.
    await waitUntilHealthy(
      () =>
        existsSync(files.caFile)
          ? { url: `${server}/readyz`, ca: readFileSync(files.caFile, 'utf8'), token: creds.adminToken }
          : undefined,
      { timeoutMs, fatal: () => exitedReason(apiserver) ?? exitedReason(etcd) },
    );
    // /readyz does not cover the bootstrap "default" namespace; tests expect it to exist.
    await waitUntilHealthy(
      { url: `${server}/api/v1/namespaces/default`, ca: readFileSync(files.caFile, 'utf8'), token: creds.adminToken },
      { timeoutMs, fatal: () => exitedReason(apiserver) ?? exitedReason(etcd) },
    );
    const readyMs = Date.now() - started;
    log(`kube-apiserver ready on ${server} after ${readyMs} ms`);

    writeFileSync(
      files.kubeconfig,
      renderKubeconfig({ server, caPem: readFileSync(files.caFile, 'utf8'), token: creds.adminToken }),
      { mode: 0o600 },
    );

    let kcm: ManagedProcess | undefined;
    if (opts.controllerManager ?? true) {
      logs.controllerManager = join(dir, 'kube-controller-manager.log');
      const k = files.kubeconfig;
      kcm = spawnGuarded(
        'kube-controller-manager',
        bins.kubeControllerManager,
        [
          `--kubeconfig=${k}`,
          `--authentication-kubeconfig=${k}`,
          `--authorization-kubeconfig=${k}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${kcmPort}`,
          '--port=0',
          `--cert-dir=${join(dir, 'kcm-certs')}`,
          '--leader-elect=false',
          `--service-account-private-key-file=${files.saKey}`,
          `--root-ca-file=${files.caFile}`,
          '--use-service-account-credentials=false',
          '--kube-api-qps=100',
          '--kube-api-burst=200',
          // No nodes, clouds or volumes here: leave out what would only log errors.
          '--controllers=*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-route,-service,-persistentvolume-binder,-attachdetach,-csrsigning',
          ...(opts.controllerManagerArgs ?? []),
        ],
        logs.controllerManager,
      );
      const m = kcm;
      await waitUntilHealthy(
        { url: `https://127.0.0.1:${kcmPort}/healthz`, insecure: true },
        { timeoutMs, fatal: () => exitedReason(m) },
      );
      log(`kube-controller-manager healthy after ${Date.now() - started} ms`);
    }

    return {
      server,
      token: creds.adminToken,
      caFile: files.caFile,
      kubeconfigPath: files.kubeconfig,
      dir,
      etcdUrl,
      logs,
      readyMs,
      pids: { etcd: etcd.child.pid!, apiserver: apiserver.child.pid!, controllerManager: kcm?.child.pid },
      stop,
    };
  } catch (err) {
    const tails = processes.map((p) => `--- ${p.name} (${p.logFile}), last lines:\n${tailOf(p.logFile)}`).join('\n');
    const conflict = processes.some((p) => /address already in use/i.test(tailOf(p.logFile, 200)));
    await stop();
    const error = new KubeEnvStartError(`kube env failed to start: ${(err as Error).message}\n${tails}`);
    error.portConflict = conflict;
    throw error;
  }
}
