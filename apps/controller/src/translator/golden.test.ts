// Golden files: golden/<case>.input.yaml (a TServer as the webhook leaves it, optionally a
// TFrameworkConfig) → golden/<case>.yaml (StatefulSet|DaemonSet, Service, TEndpoint,
// TExitedRecord). Regenerate with UPDATE_GOLDEN=1 and review the diff.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { normalize, type TFrameworkConfig, type TServer } from '@tars-ts/api';
import { translate } from './index.ts';

const dir = join(import.meta.dirname, 'golden');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.input.yaml'))
  .map((f) => f.replace(/\.input\.yaml$/, ''));

export function loadCase(name: string): { ts: TServer; fc?: TFrameworkConfig } {
  const docs = parseAllDocuments(readFileSync(join(dir, `${name}.input.yaml`), 'utf8')).map((d) => d.toJSON() as { kind: string });
  const ts = normalize<TServer>(docs.find((d) => d.kind === 'TServer') as never);
  const fcDoc = docs.find((d) => d.kind === 'TFrameworkConfig');
  return fcDoc ? { ts, fc: normalize<TFrameworkConfig>(fcDoc as never) } : { ts };
}

function render(name: string): string {
  const { ts, fc } = loadCase(name);
  const t = translate(ts, fc);
  const docs = [t.workload, t.service, t.endpoint, t.exitedRecord].filter((d) => d !== undefined);
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

describe('translator golden files', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(4));
  for (const name of cases) {
    it(name, () => {
      const out = render(name);
      const file = join(dir, `${name}.yaml`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, out);
      expect(out).toBe(readFileSync(file, 'utf8'));
    });
  }
});
