// Writes the CRD YAML of every kind into charts/tarscontroller/crds/ (the `generate` target).
// Stale or foreign .yaml files in that folder are removed so the folder mirrors libs/api exactly.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CRD_DIR_FROM_REPO_ROOT, renderCrdFiles } from './crd/files.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const dir = join(repoRoot, CRD_DIR_FROM_REPO_ROOT);
mkdirSync(dir, { recursive: true });
const files = renderCrdFiles();
for (const name of readdirSync(dir)) {
  if (name.endsWith('.yaml') && !files.has(name)) rmSync(join(dir, name));
}
for (const [name, text] of files) writeFileSync(join(dir, name), text);
console.log(`wrote ${files.size} CRDs to ${CRD_DIR_FROM_REPO_ROOT}`);
