import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const tmp = mkdtempSync(path.join(tmpdir(), 'tars-idl-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// process.execPath is the Node that runs vitest (24, with type stripping)
function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function write(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

describe('cli', () => {
  it('prints help', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: node libs/tars/idl/src/cli.ts --out DIR');
    expect(r.out).toContain('--check');
  });

  it('needs --out and input files', () => {
    expect(run('x.tars')).toMatchObject({ code: 2, err: expect.stringContaining('missing --out DIR') });
    expect(run('--out', 'o')).toMatchObject({ code: 2, err: expect.stringContaining('no input files') });
    expect(run('--bogus')).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--bogus'") });
  });

  it('generates files and index, then --check finds them current or stale', () => {
    const a = write('idl/A.tars', '#include "B.tars"\nmodule m { struct A { 0 require B b; }; };');
    write('idl/B.tars', 'module m { struct B { 0 optional int x = 3; }; };');
    const out = path.join(tmp, 'out');
    const r = run('--out', out, a);
    expect(r).toMatchObject({ code: 0, out: `3 files generated in ${out} (3 changed)\n` });
    expect(readFileSync(path.join(out, 'A.ts'), 'utf8')).toContain("import * as $B from './B.ts';");
    expect(readFileSync(path.join(out, 'index.ts'), 'utf8')).toContain("export * as A from './A.ts';");
    expect(run('--out', out, '--check', a)).toMatchObject({ code: 0 });
    expect(run('--out', out, a).out).toContain('(0 changed)');

    writeFileSync(path.join(out, 'B.ts'), '// edited by hand\n');
    const check = run('--out', out, '--check', a);
    expect(check.code).toBe(1);
    expect(check.err).toContain(`stale: ${path.join(out, 'B.ts')}`);
  });

  it('honours --no-index, --codec and --rpc', () => {
    const a = write('idl2/A.tars', 'module m { struct A { 0 require int x; }; interface I { void f(); }; };');
    const out = path.join(tmp, 'out2');
    expect(run('--out', out, '--no-index', '--codec', './codec.ts', '--rpc', 'rpc-pkg', a).code).toBe(0);
    expect(existsSync(path.join(out, 'index.ts'))).toBe(false);
    const text = readFileSync(path.join(out, 'A.ts'), 'utf8');
    expect(text).toContain("from './codec.ts';");
    expect(text).toContain("from 'rpc-pkg';");
  });

  it('reports IDL errors with file:line:column and exit code 1', () => {
    const bad = write('bad/Bad.tars', 'module m {\n  struct S {\n    0 require int a\n  };\n};');
    const r = run('--out', path.join(tmp, 'out3'), bad);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: ${bad}:4:3: expected ';', found '}'\n`);
  });

  it('finds includes in extra folders given with -I', () => {
    const a = write('inc/main/A.tars', '#include "Shared.tars"\nmodule m { struct A { 0 require S s; }; };');
    write('inc/lib/Shared.tars', 'module m { struct S { 0 optional int x; }; };');
    const out = path.join(tmp, 'out4');
    expect(run('--out', out, a).code).toBe(1);
    const r = run('--out', out, '-I', path.join(tmp, 'inc/lib'), '--base', path.join(tmp, 'inc'), a);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(out, 'main/A.ts'), 'utf8')).toContain("import * as $Shared from '../lib/Shared.ts';");
  });
});
