// The CRD files of the tarscontroller chart, as text: what `generate` writes and the test compares.
import { stringify } from 'yaml';
import { KINDS } from '../kinds/all.ts';
import { crdName, renderCrd } from './render.ts';

export const CRD_DIR_FROM_REPO_ROOT = 'charts/tarscontroller/crds';

const HEADER = '# Generated from libs/api (npm run generate -w @tars-ts/api). Do not edit by hand.\n';

/** File name → YAML text, one CustomResourceDefinition per file. */
export function renderCrdFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const def of KINDS) {
    files.set(`${crdName(def)}.yaml`, HEADER + stringify(renderCrd(def), { lineWidth: 0 }));
  }
  return files;
}
