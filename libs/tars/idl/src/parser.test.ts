import { describe, expect, it } from 'vitest';
import type { ConstDecl, EnumDecl, InterfaceDecl, StructDecl } from './ast.ts';
import { IdlError } from './errors.ts';
import { tokenize } from './lexer.ts';
import { parseIdl } from './parser.ts';

const decls = (src: string) => parseIdl(src, 't.tars').modules.flatMap((m) => m.decls);
const struct = (src: string) => decls(src).find((d) => d.kind === 'struct') as StructDecl;

/** The IdlError thrown by `fn`, for asserting on its position. */
function errorOf(fn: () => unknown): IdlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IdlError) return e;
    throw e;
  }
  throw new Error('expected an IdlError');
}

describe('tokenize', () => {
  it('splits >> into two closing brackets and keeps qualified names whole', () => {
    const toks = tokenize('map<string, vector<m::T>>', 'x').map((t) => t.text);
    expect(toks).toEqual(['map', '<', 'string', ',', 'vector', '<', 'm::T', '>', '>', '']);
  });

  it('reads hex, decimal, float and suffixed numbers', () => {
    const nums = tokenize('0x1F 42 1.5 2e3 .5 7L 3.0f', 'x').filter((t) => t.kind === 'number').map((t) => t.text);
    expect(nums).toEqual(['0x1F', '42', '1.5', '2e3', '.5', '7L', '3.0f']);
  });

  it('decodes string escapes', () => {
    expect(tokenize('"a\\"b\\\\c\\n"', 'x')[0].text).toBe('a"b\\c\n');
  });

  it('tracks line and column across comments of both kinds', () => {
    const t = tokenize('// one\n/* two\n three */  x', 'f.tars')[0];
    expect(t).toMatchObject({ text: 'x', pos: { file: 'f.tars', line: 3, column: 12 } });
  });

  it('attaches a comment above as doc and a same-line comment as trailing', () => {
    const toks = tokenize('// about a\na; // after a\nb', 'x');
    expect(toks[0]).toMatchObject({ text: 'a', doc: 'about a' });
    expect(toks[1]).toMatchObject({ text: ';', trailing: 'after a' });
    expect(toks[2].doc).toBeUndefined();
  });

  it.each([
    ['x = "abc', 1, 5, 'unterminated string'],
    ['a\n  /* never closed', 2, 3, 'unterminated comment'],
    ['a @ b', 1, 3, "unexpected character '@'"],
    ['#pragma once', 1, 1, 'unknown directive #pragma'],
    ['12ab', 1, 3, "unexpected 'a' in number"],
  ])('rejects %j at %i:%i', (src, line, column, msg) => {
    const e = errorOf(() => tokenize(src, 'bad.tars'));
    expect(e).toMatchObject({ file: 'bad.tars', line, column });
    expect(e.message).toContain(msg);
    expect(e.message.startsWith(`bad.tars:${line}:${column}: `)).toBe(true);
  });
});

describe('parseIdl', () => {
  it('parses includes and several modules', () => {
    const f = parseIdl('#include "a.tars"\n#include "../x/b.tars"\nmodule m1 { };\nmodule m2 { }', '/p/t.tars');
    expect(f.includes.map((i) => i.path)).toEqual(['a.tars', '../x/b.tars']);
    expect(f.modules.map((m) => m.name)).toEqual(['m1', 'm2']);
    expect(f.includes[1].pos).toEqual({ file: '/p/t.tars', line: 2, column: 1 });
  });

  it('parses struct fields: tags, require/optional, every type, defaults', () => {
    const s = struct(`module m {
      struct S {
        0 require bool a = true;
        1 optional byte b = -5;
        2 optional short c = 0x10;
        3 require int d;
        4 optional long e = -9223372036854775808;
        5 optional float f = 1.5;
        6 optional double g = -2.25e2;
        7 optional string h = "hi";
        8 optional unsigned byte i;
        9 optional unsigned short j;
        10 optional unsigned int k;
        11 optional vector<byte> l;
        12 optional vector<vector<string>> mm;
        13 optional map<string, map<int, vector<double>>> n;
        14 optional Other o;
        15 optional other::Qualified p;
        200 optional E q = E_A;
      };
    };`);
    expect(s.name).toBe('S');
    expect(s.module).toBe('m');
    expect(s.fields.map((f) => f.tag)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 200]);
    expect(s.fields.map((f) => f.required)).toEqual([true, false, false, true, ...Array(13).fill(false)]);
    const types = s.fields.map((f) => f.type);
    expect(types[8]).toEqual({ kind: 'primitive', name: 'unsigned byte' });
    expect(types[10]).toEqual({ kind: 'primitive', name: 'unsigned int' });
    expect(types[11]).toEqual({ kind: 'vector', element: { kind: 'primitive', name: 'byte' } });
    expect(types[13]).toEqual({
      kind: 'map',
      key: { kind: 'primitive', name: 'string' },
      value: { kind: 'map', key: { kind: 'primitive', name: 'int' }, value: { kind: 'vector', element: { kind: 'primitive', name: 'double' } } },
    });
    expect(types[15]).toMatchObject({ kind: 'named', name: 'other::Qualified' });
    expect(s.fields.map((f) => f.default && ('text' in f.default ? f.default.text : 'value' in f.default ? f.default.value : f.default.name))).toEqual([
      true, '-5', '0x10', undefined, '-9223372036854775808', '1.5', '-2.25e2', 'hi',
      undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'E_A',
    ]);
  });

  it('keeps field docs from the line above and from a trailing comment', () => {
    const s = struct('module m { struct S {\n // above\n 0 require int a; // after\n 1 optional int b;\n }; };');
    expect(s.fields[0].doc).toBe('above\nafter');
    expect(s.fields[1].doc).toBeUndefined();
  });

  it('parses enums with implicit, explicit, negative and referencing values', () => {
    const e = decls('module m { enum E { A, B = 5, C, D = -3, F = B, G = Other::X, }; };')[0] as EnumDecl;
    expect(e.members.map((m) => m.name)).toEqual(['A', 'B', 'C', 'D', 'F', 'G']);
    expect(e.members.map((m) => m.expr && ('text' in m.expr ? m.expr.text : 'name' in m.expr ? m.expr.name : ''))).toEqual([
      undefined, '5', undefined, '-3', 'B', 'Other::X',
    ]);
  });

  it('parses consts of several types', () => {
    const cs = decls('module m { const int A = -1; const string S = "x"; const bool B = false; const long L = 0x7fffffffffffffff; };') as ConstDecl[];
    expect(cs.map((c) => [c.name, c.type.kind === 'primitive' && c.type.name, c.expr.kind])).toEqual([
      ['A', 'int', 'number'],
      ['S', 'string', 'string'],
      ['B', 'bool', 'bool'],
      ['L', 'long', 'number'],
    ]);
  });

  it('parses interfaces: void and typed returns, out and routekey params, no params', () => {
    const i = decls(`module m { interface I {
      void ping();
      int get(string id, out vector<string> items, out int n);
      map<string,string> q(routekey int k, string s);
    }; };`)[0] as InterfaceDecl;
    expect(i.methods.map((m) => m.name)).toEqual(['ping', 'get', 'q']);
    expect(i.methods[0].returns).toBeUndefined();
    expect(i.methods[0].params).toEqual([]);
    expect(i.methods[1].params.map((p) => [p.name, p.out])).toEqual([['id', false], ['items', true], ['n', true]]);
    expect(i.methods[2].params[0]).toMatchObject({ name: 'k', routeKey: true, out: false });
    expect(i.methods[2].returns?.kind).toBe('map');
  });

  it('accepts CRLF line endings and a byte-order mark, and counts lines the same', () => {
    const f = parseIdl('\uFEFFmodule m\r\n{\r\n  struct S { 0 require int a; };\r\n};\r\n', 'w.tars');
    expect(f.modules[0].decls[0].pos).toEqual({ file: 'w.tars', line: 3, column: 3 });
  });

  it('records key[] on the struct it names', () => {
    const s = struct('module m { struct S { 0 require int a; 1 require string b; }; key[S, b, a]; };');
    expect(s.keyFields).toEqual(['b', 'a']);
  });

  it.each([
    ['module m { struct S { 0 require int a; 0 optional int b; }; };', 1, 40, 'tag 0 of \'b\' is already used by \'a\''],
    ['module m { struct S { 0 require int a; 1 optional int a; }; };', 1, 55, "field 'a' is declared twice"],
    ['module m { struct S { 256 require int a; }; };', 1, 23, 'tag 256 is out of range'],
    ['module m { struct S { 0 maybe int a; }; };', 1, 25, "expected 'require' or 'optional', found 'maybe'"],
    ['module m { struct S { 0 require int a }; };', 1, 39, "expected ';', found '}'"],
    ['module m {\n  struct S {\n    0 require vector<int a;\n  };\n};', 3, 26, "expected '>', found 'a'"],
    ['module m { struct S { 0 require unsigned long a; }; };', 1, 42, "'byte', 'short' or 'int' after 'unsigned'"],
    ['module m { struct int { }; };', 1, 19, "'int' is a keyword"],
    ['module m { struct S { 0 require void a; }; };', 1, 33, "'void' is only allowed as a method's return type"],
    ['module m { enum E { }; };', 1, 12, "enum 'E' has no members"],
    ['module m { enum E { A, A }; };', 1, 24, "enum member 'A' is declared twice"],
    ['module m { enum E { A = "x" }; };', 1, 25, 'an enum value must be an integer'],
    ['module m { key[Nope, a]; };', 1, 16, "'Nope', which is not a struct"],
    ['module m { struct S { 0 require int a; }; key[S, b]; };', 1, 50, "struct 'S' has no field 'b'"],
    ['module m { interface I { int f(int a, out int a); }; };', 1, 47, "parameter 'a' is declared twice"],
    ['module m { interface I { int f(); void f(); }; };', 1, 35, "method 'f' is declared twice"],
    ['module m { struct S { 0 require int a;', 1, 12, "struct 'S' is not closed"],
    ['module m {', 1, 1, "module 'm' is not closed"],
    ['struct S {};', 1, 1, "expected 'module' or '#include', found 'struct'"],
    ['#include x', 1, 10, 'a quoted file name after #include'],
    ['module m { const int X = ; };', 1, 26, 'expected a value'],
    [`module m { struct S { 0 require ${'vector<'.repeat(40)}int${'>'.repeat(40)} a; }; };`, 1, 264, 'types nested deeper than 32 levels'],
  ])('rejects %j at %i:%i', (src, line, column, msg) => {
    const e = errorOf(() => parseIdl(src, 'bad.tars'));
    expect(e.reason).toContain(msg);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toMatch(/^bad\.tars:\d+:\d+: /);
  });
});
