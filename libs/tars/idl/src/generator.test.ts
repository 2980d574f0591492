// Golden test: the small IDL in golden/input must generate exactly golden/output (which the root
// tsc and eslint check like any source). UPDATE_GOLDEN=1 rewrites the expected files.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IdlError } from './errors.ts';
import { generateFromFiles } from './generator.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const inputDir = path.join(here, '../golden/input');
const outputDir = path.join(here, '../golden/output');
const inputs = ['Golden.tars', 'sub/Child.tars'].map((f) => path.join(inputDir, f));

function listTs(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return listTs(p, `${prefix}${n}/`);
    return n.endsWith('.ts') ? [`${prefix}${n}`] : [];
  });
}

describe('generator golden output', () => {
  const generated = generateFromFiles(inputs, { baseDir: inputDir });

  if (process.env.UPDATE_GOLDEN) {
    for (const [rel, text] of generated) {
      mkdirSync(path.dirname(path.join(outputDir, rel)), { recursive: true });
      writeFileSync(path.join(outputDir, rel), text);
    }
  }

  it('generates one file per IDL file (included ones too) and an index per folder', () => {
    expect([...generated.keys()].sort()).toEqual(['Base.ts', 'Golden.ts', 'index.ts', 'sub/Child.ts', 'sub/index.ts']);
    expect(listTs(outputDir).sort()).toEqual([...generated.keys()].sort());
  });

  it.each(['Base.ts', 'Golden.ts', 'index.ts', 'sub/Child.ts', 'sub/index.ts'])('%s matches the golden file', (rel) => {
    expect(generated.get(rel)).toBe(readFileSync(path.join(outputDir, rel), 'utf8'));
  });

  it('imports included files relative to the output file', () => {
    expect(generated.get('sub/Child.ts')).toContain("import * as $Base from '../Base.ts';");
    expect(generated.get('Golden.ts')).toContain("import * as $Base from './Base.ts';");
  });

  it('imports only the runtime it uses', () => {
    const base = generated.get('Base.ts')!;
    expect(base).toContain("import { TarsDecodeError, TarsReader, TarsWriter } from '@tars-ts/codec';");
    expect(base).not.toContain('@tars-ts/rpc');
  });

  it('takes other runtime module names', () => {
    const out = generateFromFiles(inputs, { baseDir: inputDir, runtime: { codec: 'my-codec', rpc: 'my-rpc' } });
    expect(out.get('Golden.ts')).toContain("from 'my-codec';");
    expect(out.get('Golden.ts')).toContain("from 'my-rpc';");
  });

  it('can leave out the index files', () => {
    expect([...generateFromFiles(inputs, { baseDir: inputDir, index: false }).keys()].sort()).toEqual(['Base.ts', 'Golden.ts', 'sub/Child.ts']);
  });

  it('refuses a base folder that does not contain every file', () => {
    expect(() => generateFromFiles(inputs, { baseDir: path.join(inputDir, 'sub') })).toThrow(IdlError);
  });
});

describe('generator: the same IDL in two folders', () => {
  it('keeps the code once, in the shallower file, and re-exports it from the copy', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'idl-copy-'));
    try {
      const idl = 'module m { struct S { 0 require int a; }; };\n';
      mkdirSync(path.join(dir, 'k8s'));
      writeFileSync(path.join(dir, 'Same.tars'), idl);
      writeFileSync(path.join(dir, 'k8s/Same.tars'), idl);
      const out = generateFromFiles([path.join(dir, 'k8s/Same.tars'), path.join(dir, 'Same.tars')], { baseDir: dir });
      expect(out.get('Same.ts')).toContain('export const S');
      expect(out.get('k8s/Same.ts')).toContain("export * from '../Same.ts';");
      expect(out.get('k8s/Same.ts')).not.toContain('export const S');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generator errors', () => {
  const gen = (src: string) => {
    const file = path.join(inputDir, 'Mem.tars');
    return generateFromFiles([file], { readFile: () => src, exists: () => false });
  };
  const reason = (src: string) => {
    try {
      gen(src);
    } catch (e) {
      if (e instanceof IdlError) return `${e.line}:${e.column} ${e.reason}`;
      throw e;
    }
    return 'no error';
  };

  it('rejects method names the proxy/servant base classes use', () => {
    expect(reason('module m { interface I {\n void invoke(); }; };')).toBe("2:2 method name 'invoke' is reserved by the generated proxy/servant classes");
    expect(reason('module m { interface I { void tarsObject(); }; };')).toContain("method name 'tarsObject' is reserved");
  });

  it('rejects declarations that would shadow names the generated code uses', () => {
    expect(reason('module m { struct Map { 0 optional int x; }; };')).toBe("1:12 'Map' (struct m::Map) would shadow a name the generated code uses; rename it");
    expect(reason('module m { enum Current { A }; };')).toContain("'Current' (enum m::Current) would shadow");
    expect(reason('module m { struct v { 0 optional int x; }; };')).toContain("'v' (struct m::v) would shadow");
    expect(reason('module m { const int delete = 1; };')).toBe("1:12 'delete' (const m::delete) is a reserved word in TypeScript; rename it");
    expect(reason('module m { struct object { 0 optional int x; }; };')).toContain("'object' (struct m::object) is a reserved word");
    expect(reason('module m { enum a1 { A }; };')).toContain("'a1' (enum m::a1) would shadow");
    expect(reason('module m { struct a { 0 optional int x; }; enum Seen { A }; };')).toBe('no error');
  });

  it('rejects names that clash in one generated file', () => {
    expect(reason('module a { struct S { 0 optional int x; }; }; module b { enum S { A }; };')).toBe(
      "1:58 'S' (enum b::S) clashes with struct a::S in the generated Mem.ts",
    );
    expect(reason('module a { struct IProxy { 0 optional int x; }; interface I { void f(); }; };')).toContain("'IProxy' (interface a::I) clashes with struct a::IProxy");
  });

  it("rejects an out parameter named 'ret' next to a return value", () => {
    expect(reason('module m { interface I { int f(out int ret); }; };')).toBe("1:32 out parameter 'ret' of 'f' would clash with the return value in the result object");
    expect(reason('module m { interface I { void f(out int ret); }; };')).toBe('no error');
  });

  it("rejects a field named '__proto__'", () => {
    expect(reason('module m { struct S { 0 optional int __proto__; }; };')).toBe("1:23 a field cannot be named '__proto__'");
  });
});
