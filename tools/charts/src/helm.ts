// Running the real helm and kubectl of tools/kube-env on the charts in charts/, and reading what
// they render or installed. Helm's home directories go to a temp dir (nothing in $HOME).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { helmPath, kubectlPath } from '@tars-ts/kube-env';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const CHARTS = { controller: join(REPO_ROOT, 'charts/tarscontroller'), framework: join(REPO_ROOT, 'charts/tarsframework') };

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export class CommandError extends Error {
  readonly command: string;
  readonly stdout: string;
  readonly stderr: string;
  constructor(command: string, stdout: string, stderr: string) {
    super(`${command} failed: ${stderr.trim() || stdout.trim()}`);
    this.command = command;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

const helmHome = mkdtempSync(join(tmpdir(), 'tars-charts-helm-'));
process.on('exit', () => removeHelmHome());

/** Removes helm's temp home (values files, cache); test files call it in afterAll (vitest's workers may not run exit handlers). */
export function removeHelmHome(): void {
  rmSync(helmHome, { recursive: true, force: true });
}
const helmEnv = {
  ...process.env,
  HELM_CACHE_HOME: join(helmHome, 'cache'),
  HELM_CONFIG_HOME: join(helmHome, 'config'),
  HELM_DATA_HOME: join(helmHome, 'data'),
};

function run(bin: string, args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((res, rej) => {
    execFile(bin, args, { env: helmEnv, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) rej(new CommandError(`${bin.split('/').pop()} ${args.slice(0, 3).join(' ')}`, stdout, stderr));
      else res(stdout);
    });
  });
}

export const helm = (args: string[], timeoutMs?: number) => run(helmPath(), args, timeoutMs);
export const kubectl = (args: string[]) => run(kubectlPath(), args);

let valuesSeq = 0;
/** `-f <file>` for a values object (written as JSON, which is YAML; keys may contain dots). */
export function setFlags(values: Record<string, unknown>): string[] {
  const file = join(helmHome, `values-${process.pid}-${++valuesSeq}.json`);
  writeFileSync(file, JSON.stringify(values));
  return ['-f', file];
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object' && 'kind' in o);
}

/** `helm template` of a chart with values; the objects it renders (hooks included). */
export async function render(chart: string, namespace: string, values: Record<string, unknown>, release = 'test'): Promise<K8sObject[]> {
  return parseManifests(await helm(['template', release, chart, '--namespace', namespace, ...setFlags(values)]));
}

export function find(objs: K8sObject[], kind: string, name?: string): K8sObject[] {
  return objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
}

export function one(objs: K8sObject[], kind: string, name: string): K8sObject {
  const hits = find(objs, kind, name);
  if (hits.length !== 1) throw new Error(`want exactly one ${kind}/${name}, got ${hits.length} (have: ${objs.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')})`);
  return hits[0]!;
}
