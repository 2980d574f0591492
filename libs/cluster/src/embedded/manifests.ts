// Manifests for standalone mode: every *.yaml/*.yml/*.json file under a folder (multi-document
// YAML allowed), applied when the embedded state opens. A manifest is applied when it is new or
// changed since it was last applied (its hash is kept in `<dataDir>/manifests.json`); otherwise
// the stored object, with whatever changed at run time, stays. Bad documents are reported with
// their file and reason and skipped; the others still load.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { GROUP, convertObject, kindDefinition, type AnyObject } from '@tars-ts/api';
import { ClusterError, NotFoundError } from '../errors.ts';
import { TARS_API_VERSION } from '../kinds.ts';
import type { TarsKind } from '../types.ts';
import type { EmbeddedClusterState } from './cluster-state.ts';
import { atomicWrite } from './files.ts';

export interface ManifestReport {
  loaded: { file: string; kind: string; name: string; action: 'created' | 'updated' | 'unchanged' }[];
  rejected: { file: string; document: number; reason: string }[];
}

async function manifestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await manifestFiles(path)));
    else if (/\.(ya?ml|json)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** The object as v1beta3, or the reason it cannot be loaded. */
function toStorageVersion(doc: unknown, namespace: string): AnyObject | string {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not an object';
  const obj = doc as AnyObject;
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return 'apiVersion and kind are required';
  if (!obj.apiVersion.startsWith(`${GROUP}/`) || kindDefinition(obj.kind) === undefined) {
    return `unsupported kind ${obj.apiVersion}/${obj.kind}: only the ${GROUP} kinds can be loaded`;
  }
  if (!kindDefinition(obj.kind)!.versions.some((v) => `${GROUP}/${v.name}` === obj.apiVersion)) return `${obj.kind} is not served in ${obj.apiVersion}`;
  const ns = obj.metadata?.namespace;
  if (ns && ns !== namespace) return `namespace ${ns} is not the standalone namespace ${namespace}`;
  try {
    return convertObject(obj, TARS_API_VERSION);
  } catch (err) {
    return `cannot convert to ${TARS_API_VERSION}: ${(err as Error).message}`;
  }
}

export async function applyManifests(state: EmbeddedClusterState, dir: string): Promise<ManifestReport> {
  const report: ManifestReport = { loaded: [], rejected: [] };
  const hashFile = join(state.dataDir, 'manifests.json');
  const hashes = JSON.parse(await readFile(hashFile, 'utf8').catch(() => '{}')) as Record<string, string>;
  for (const path of await manifestFiles(dir)) {
    const file = relative(dir, path);
    let docs: unknown[];
    try {
      const parsed = parseAllDocuments(await readFile(path, 'utf8'));
      const list = Array.isArray(parsed) ? parsed : [parsed];
      const bad = list.find((d) => d.errors.length > 0);
      if (bad) throw new Error(bad.errors[0].message);
      docs = list.map((d) => d.toJSON() as unknown);
    } catch (err) {
      report.rejected.push({ file, document: 0, reason: `not valid YAML: ${(err as Error).message}` });
      continue;
    }
    for (const [i, doc] of docs.entries()) {
      if (doc === null || doc === undefined) continue; // empty document (`---` at the end)
      const obj = toStorageVersion(doc, state.namespace);
      if (typeof obj === 'string') {
        report.rejected.push({ file, document: i + 1, reason: obj });
        continue;
      }
      const kind = obj.kind as TarsKind;
      const name = obj.metadata?.name ?? '';
      const key = `${kind}/${name}`;
      const hash = createHash('sha256').update(JSON.stringify(obj)).digest('hex');
      const api = state.resource(kind);
      try {
        const current = await api.get(name).catch((e: unknown) => (e instanceof NotFoundError ? undefined : Promise.reject(e)));
        if (!current) {
          await api.create({ ...obj, metadata: { ...obj.metadata, namespace: undefined } } as never);
          report.loaded.push({ file, kind, name, action: 'created' });
        } else if (hashes[key] !== hash) {
          await api.update({ ...obj, metadata: { ...obj.metadata, namespace: undefined, resourceVersion: current.metadata.resourceVersion } } as never);
          report.loaded.push({ file, kind, name, action: 'updated' });
        } else {
          report.loaded.push({ file, kind, name, action: 'unchanged' });
        }
        hashes[key] = hash;
      } catch (err) {
        const reason = err instanceof ClusterError ? err.message : String(err);
        report.rejected.push({ file, document: i + 1, reason });
      }
    }
  }
  await atomicWrite(hashFile, `${JSON.stringify(hashes, null, 1)}\n`);
  return report;
}
