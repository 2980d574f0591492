import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConstDecl, EnumDecl, StructDecl } from './ast.ts';
import { IdlError } from './errors.ts';
import { includeCandidates, loadFiles } from './loader.ts';
import { resolveProgram, type Program } from './resolve.ts';

const ROOT = path.resolve('/idl');

/** Loads and resolves in-memory files (paths relative to /idl). */
function program(files: Record<string, string>, roots = Object.keys(files).slice(0, 1)): Program {
  const abs = new Map(Object.entries(files).map(([k, v]) => [path.join(ROOT, k), v]));
  return resolveProgram(
    loadFiles(
      roots.map((r) => path.join(ROOT, r)),
      {
        readFile: (f) => {
          const s = abs.get(f);
          if (s === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
          return s;
        },
        exists: (f) => abs.has(f),
      },
    ),
  );
}

function decl<T>(p: Program, file: string, name: string): T {
  for (const m of p.files.get(path.join(ROOT, file))!.modules) for (const d of m.decls) if (d.name === name) return d as T;
  throw new Error(`no ${name}`);
}

function errorOf(fn: () => unknown): IdlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IdlError) return e;
    throw e;
  }
  throw new Error('expected an IdlError');
}

describe('includes', () => {
  it('tries the base name in the folder, then the parent folder, then include dirs, then the path as written', () => {
    expect(includeCandidates('/a/k8s/X.tars', '../RegistryServer/N.tars', ['/inc'])).toEqual([
      '/a/k8s/N.tars',
      '/a/N.tars',
      '/inc/N.tars',
      '/a/RegistryServer/N.tars',
    ]);
    // an absolute include is never read as written
    expect(includeCandidates('/a/k8s/X.tars', '/usr/local/tars/cpp/include/servant/EndpointF.tars')).toEqual([
      '/a/k8s/EndpointF.tars',
      '/a/EndpointF.tars',
    ]);
  });

  it('resolves upstream build paths the way the k8s files need', () => {
    const p = program({
      'k8s/Node.tars': '#include "../RegistryServer/NodeDescriptor.tars"\nmodule tars { interface Node { ServerState get(); }; };',
      'k8s/NodeDescriptor.tars': 'module tars { enum ServerState { Inactive }; };',
      'k8s/Reg.tars': '#include "/usr/local/tars/cpp/include/servant/EndpointF.tars"\nmodule tars { struct R { 0 require EndpointF e; }; };',
      'EndpointF.tars': 'module tars { struct EndpointF { 0 require string host; }; };',
      'NodeDescriptor.tars': 'module tars { enum ServerState { Other }; };',
    }, ['k8s/Node.tars', 'k8s/Reg.tars']);
    const node = p.files.get(path.join(ROOT, 'k8s/Node.tars'))!;
    expect(node.includes[0].resolved).toBe(path.join(ROOT, 'k8s/NodeDescriptor.tars'));
    const reg = p.files.get(path.join(ROOT, 'k8s/Reg.tars'))!;
    expect(reg.includes[0].resolved).toBe(path.join(ROOT, 'EndpointF.tars'));
    // the parent folder's NodeDescriptor.tars is not loaded: the same folder wins
    expect(p.files.has(path.join(ROOT, 'NodeDescriptor.tars'))).toBe(false);
    const r = decl<StructDecl>(p, 'k8s/Reg.tars', 'R');
    expect(r.fields[0].type).toMatchObject({ kind: 'named', target: { name: 'EndpointF', file: path.join(ROOT, 'EndpointF.tars') } });
  });

  it('loads an include cycle once', () => {
    const p = program({ 'a.tars': '#include "b.tars"\nmodule m { struct A { 0 optional B b; }; };', 'b.tars': '#include "a.tars"\nmodule m { struct B { 0 optional int x; }; };' });
    expect(p.files.size).toBe(2);
  });

  it('names the include directive and every place it looked when a file is missing', () => {
    const e = errorOf(() => program({ 'sub/a.tars': '\n  #include "gone.tars"\nmodule m {};' }));
    expect([e.file, e.line, e.column]).toEqual([path.join(ROOT, 'sub/a.tars'), 2, 3]);
    expect(e.reason).toContain('cannot find included file "gone.tars"');
    expect(e.reason).toContain(path.join(ROOT, 'gone.tars'));
  });

  it('says which root file cannot be read', () => {
    const e = errorOf(() => program({}, ['nope.tars']));
    expect(e.message).toBe(`${path.join(ROOT, 'nope.tars')}:1:1: cannot read file: ENOENT`);
  });
});

describe('names and types', () => {
  it('links names in the same module, across included files, and qualified names in other modules', () => {
    const p = program({
      'a.tars': '#include "b.tars"\nmodule m { struct A { 0 require B b; 1 require other::C c; 2 require vector<map<string, E>> e; }; enum E { X }; };',
      'b.tars': 'module m { struct B { 0 optional int x; }; }; module other { struct C { 0 optional int y; }; };',
    });
    const a = decl<StructDecl>(p, 'a.tars', 'A');
    expect(a.fields.map((f) => f.type.kind === 'named' && f.type.target?.name)).toEqual(['B', 'C', false]);
    const e = a.fields[2].type;
    expect(e.kind === 'vector' && e.element.kind === 'map' && e.element.value.kind === 'named' && e.element.value.target?.kind).toBe('enum');
  });

  it('does not see types of a file that is not included', () => {
    const e = errorOf(() => program({ 'a.tars': 'module m { struct A {\n 0 require B b; }; };', 'b.tars': 'module m { struct B { 0 optional int x; }; };' }, ['a.tars', 'b.tars']));
    expect([e.line, e.column, e.reason]).toEqual([2, 12, "unknown type 'B'"]);
  });

  it('rejects an unqualified name from another module', () => {
    const e = errorOf(() => program({ 'a.tars': 'module x { struct C { 0 optional int y; }; }; module m { struct A { 0 require C c; }; };' }));
    expect(e.reason).toBe("unknown type 'C'");
  });

  it('rejects the same name declared in two visible files', () => {
    const e = errorOf(() => program({ 'a.tars': '#include "b.tars"\nmodule m { struct B { 0 optional int x; }; };', 'b.tars': 'module m { enum B { Q }; };' }));
    expect(e.reason).toMatch(/^'m::B' is already declared at .*a\.tars:2:12$/);
    expect(e.file).toBe(path.join(ROOT, 'b.tars'));
  });

  it('rejects an interface used as a type', () => {
    const e = errorOf(() => program({ 'a.tars': 'module m { interface I { void f(); }; struct S { 0 optional I i; }; };' }));
    expect(e.reason).toBe("'I' is an interface, not a type");
  });
});

describe('values', () => {
  it('numbers enum members implicitly, explicitly, negatively and by reference', () => {
    const p = program({
      'a.tars': `#include "b.tars"
        module m {
          enum E { A, B, C = 10, D, N = -5, M, R = C, S = Other::Y, T = Y, U = 0x20, V };
        };`,
      'b.tars': 'module m { enum Other { X = 100, Y }; };',
    });
    const e = decl<EnumDecl>(p, 'a.tars', 'E');
    expect(e.members.map((m) => [m.name, m.value])).toEqual([
      ['A', 0], ['B', 1], ['C', 10], ['D', 11], ['N', -5], ['M', -4], ['R', 10], ['S', 101], ['T', 101], ['U', 32], ['V', 33],
    ]);
  });

  it('rejects a reference to a later member and values beyond int', () => {
    expect(errorOf(() => program({ 'a.tars': 'module m { enum E { A = B, B }; };' })).reason).toBe("unknown enum member or integer constant 'B'");
    expect(errorOf(() => program({ 'a.tars': 'module m { enum E { A = 2147483647, B }; };' })).reason).toBe("enum value 2147483648 of 'B' does not fit an int");
  });

  it('checks defaults against their types and converts them', () => {
    const p = program({
      'a.tars': `module m {
        enum E { A = 3, B = 7 };
        const int K = 42;
        struct S {
          0 optional bool a = true;
          1 optional byte b = -128;
          2 optional long c = 9223372036854775807;
          3 optional double d = -1.5e3;
          4 optional string e = "x\\ty";
          5 optional E f = B;
          6 optional E g = E::A;
          7 optional E h = 7;
          8 optional int k = K;
          9 optional unsigned int u = 4294967295;
          10 optional float fl = 2;
        };
      };`,
    });
    const s = decl<StructDecl>(p, 'a.tars', 'S');
    expect(s.fields.map((f) => f.defaultValue)).toEqual([true, -128, 9223372036854775807n, -1500, 'x\ty', 7, 3, 7, 42, 4294967295, 2]);
  });

  it.each([
    ['0 optional byte a = 128;', '128 is out of range for byte (-128..127)'],
    ['0 optional unsigned short a = -1;', '-1 is out of range for unsigned short (0..65535)'],
    ['0 optional int a = 1.5;', 'expected an integer for int, found 1.5'],
    ['0 optional string a = 1;', 'expected a string literal for a string'],
    ['0 optional bool a = "yes";', 'expected true or false for a bool'],
    ['0 optional E a = Z;', "default of enum 'E' must be one of its members (A, B)"],
    ['0 optional E a = 5;', "default of enum 'E' must be one of its members (A, B)"],
    ['0 optional vector<int> a = 1;', 'a vector<int> cannot have a default value'],
    ['0 optional T a = 1;', "struct 'T' cannot have a default value"],
    ['0 optional int a = NOPE;', "unknown constant 'NOPE'"],
  ])('rejects the default in %j', (field, msg) => {
    const e = errorOf(() => program({ 'a.tars': `module m { enum E { A, B }; struct T { 0 optional int x; };\nstruct S {\n   ${field} }; };` }));
    expect(e.reason).toBe(msg);
    expect(e.line).toBe(3);
  });

  it('evaluates consts, including references to other consts and enum members', () => {
    const p = program({ 'a.tars': 'module m { enum E { A, B }; const int X = Y; const int Y = -0x10; const E Z = B; const long L = 5; const string S = "s"; };' });
    expect(['X', 'Y', 'Z', 'L', 'S'].map((n) => decl<ConstDecl>(p, 'a.tars', n).value)).toEqual([-16, -16, 1, 5n, 's']);
  });

  it('rejects self-referencing consts and container consts', () => {
    expect(errorOf(() => program({ 'a.tars': 'module m { const int X = X; };' })).reason).toBe("constant 'X' refers to itself");
    expect(errorOf(() => program({ 'a.tars': 'module m { const vector<int> X = 1; };' })).reason).toBe('a constant cannot have type vector<int>');
  });
});
