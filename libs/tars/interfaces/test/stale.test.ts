// The generated code on disk must be what the generator makes of the vendored IDL today.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { generateFromFiles } from '@tars-ts/idl';
import { describe, expect, it } from 'vitest';
import { idlDir, srcDir, vendoredIdlFiles } from './vendored.ts';

function listTs(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return listTs(p, `${prefix}${n}/`);
    return n.endsWith('.ts') ? [`${prefix}${n}`] : [];
  });
}

describe('libs/tars/interfaces/src', () => {
  const expected = generateFromFiles(vendoredIdlFiles(), { baseDir: idlDir });
  const fix = 'run `npx nx run @tars-ts/interfaces:generate` (never edit generated files by hand)';

  it('holds exactly the generated files', () => {
    expect(listTs(srcDir).sort(), fix).toEqual([...expected.keys()].sort());
  });

  it.each([...expected.keys()].sort())('%s is up to date', (rel) => {
    const onDisk = readFileSync(path.join(srcDir, rel), 'utf8');
    expect(onDisk === expected.get(rel), `${rel} is stale: ${fix}`).toBe(true);
  });
});
