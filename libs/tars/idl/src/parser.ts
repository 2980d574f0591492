import type {
  ConstDecl,
  Decl,
  EnumDecl,
  EnumMember,
  FieldDecl,
  IdlFile,
  IncludeDirective,
  InterfaceDecl,
  MethodDecl,
  ModuleDecl,
  ParamDecl,
  PrimitiveName,
  StructDecl,
  TypeRef,
  ValueExpr,
} from './ast.ts';
import { IdlError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';

const SIMPLE_TYPES = new Set(['bool', 'byte', 'short', 'int', 'long', 'float', 'double', 'string']);
const RESERVED = new Set([
  ...SIMPLE_TYPES,
  'unsigned', 'vector', 'map', 'void', 'module', 'struct', 'enum', 'interface', 'const', 'key',
  'require', 'optional', 'out', 'routekey', 'true', 'false',
]);
const MAX_TAG = 255;
// far beyond real IDL; keeps hostile input from exhausting the stack of the parser and generator
const MAX_TYPE_NESTING = 32;

/** Parses one .tars source (no include resolution: see `loader.ts`). */
export function parseIdl(src: string, file: string): IdlFile {
  return new Parser(tokenize(src, file), file).parseFile();
}

class Parser {
  private i = 0;
  private readonly toks: Token[];
  private readonly file: string;

  constructor(toks: Token[], file: string) {
    this.toks = toks;
    this.file = file;
  }

  private peek(offset = 0): Token {
    return this.toks[Math.min(this.i + offset, this.toks.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private describe(t: Token): string {
    if (t.kind === 'eof') return 'end of file';
    if (t.kind === 'string') return `string "${t.text}"`;
    return `'${t.text}'`;
  }
  private fail(t: Token, expected: string): never {
    throw new IdlError(t.pos, `expected ${expected}, found ${this.describe(t)}`);
  }
  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }
  private isWord(text: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === text;
  }
  private punct(text: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) this.fail(t, `'${text}'`);
    return t;
  }
  private word(text: string): Token {
    const t = this.next();
    if (t.kind !== 'ident' || t.text !== text) this.fail(t, `'${text}'`);
    return t;
  }
  /** A plain (unqualified) name that is not a keyword. */
  private name(what: string): Token {
    const t = this.next();
    if (t.kind !== 'ident') this.fail(t, what);
    if (t.text.includes('::')) throw new IdlError(t.pos, `${what} must not be qualified: '${t.text}'`);
    if (RESERVED.has(t.text)) throw new IdlError(t.pos, `'${t.text}' is a keyword and cannot be used as ${what}`);
    return t;
  }
  private optionalSemicolon(): void {
    if (this.isPunct(';')) this.next();
  }

  parseFile(): IdlFile {
    const includes: IncludeDirective[] = [];
    const modules: ModuleDecl[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'include') {
        this.next();
        const p = this.next();
        if (p.kind !== 'string') this.fail(p, 'a quoted file name after #include');
        includes.push({ path: p.text, pos: t.pos });
        continue;
      }
      if (this.isWord('module')) {
        modules.push(this.parseModule());
        continue;
      }
      if (this.isPunct(';')) {
        this.next();
        continue;
      }
      this.fail(t, "'module' or '#include'");
    }
    return { path: this.file, includes, modules };
  }

  private parseModule(): ModuleDecl {
    const kw = this.word('module');
    const name = this.name('a module name');
    this.punct('{');
    const decls: Decl[] = [];
    const structs = new Map<string, StructDecl>();
    while (!this.isPunct('}')) {
      const t = this.peek();
      if (t.kind === 'eof') throw new IdlError(kw.pos, `module '${name.text}' is not closed with '}'`);
      if (this.isPunct(';')) {
        this.next();
        continue;
      }
      if (t.kind !== 'ident') this.fail(t, 'a declaration (struct, enum, const, interface, key)');
      switch (t.text) {
        case 'struct': {
          const s = this.parseStruct(name.text);
          structs.set(s.name, s);
          decls.push(s);
          break;
        }
        case 'enum':
          decls.push(this.parseEnum(name.text));
          break;
        case 'const':
          decls.push(this.parseConst(name.text));
          break;
        case 'interface':
          decls.push(this.parseInterface(name.text));
          break;
        case 'key':
          this.parseKey(structs);
          break;
        default:
          this.fail(t, 'a declaration (struct, enum, const, interface, key)');
      }
    }
    this.punct('}');
    this.optionalSemicolon();
    return { name: name.text, decls, pos: kw.pos };
  }

  private parseType(depth = 0): TypeRef {
    const t = this.next();
    if (t.kind !== 'ident') this.fail(t, 'a type');
    if (depth > MAX_TYPE_NESTING) throw new IdlError(t.pos, `types nested deeper than ${MAX_TYPE_NESTING} levels`);
    if (SIMPLE_TYPES.has(t.text)) return { kind: 'primitive', name: t.text as PrimitiveName };
    if (t.text === 'unsigned') {
      const u = this.next();
      if (u.kind !== 'ident' || !['byte', 'short', 'int'].includes(u.text)) this.fail(u, "'byte', 'short' or 'int' after 'unsigned'");
      return { kind: 'primitive', name: `unsigned ${u.text}` as PrimitiveName };
    }
    if (t.text === 'vector') {
      this.punct('<');
      const element = this.parseType(depth + 1);
      this.punct('>');
      return { kind: 'vector', element };
    }
    if (t.text === 'map') {
      this.punct('<');
      const key = this.parseType(depth + 1);
      this.punct(',');
      const value = this.parseType(depth + 1);
      this.punct('>');
      return { kind: 'map', key, value };
    }
    if (t.text === 'void') throw new IdlError(t.pos, "'void' is only allowed as a method's return type");
    if (RESERVED.has(t.text)) this.fail(t, 'a type');
    return { kind: 'named', name: t.text, pos: t.pos };
  }

  private parseStruct(module: string): StructDecl {
    const kw = this.word('struct');
    const name = this.name('a struct name');
    this.punct('{');
    const fields: FieldDecl[] = [];
    const tags = new Map<number, string>();
    const names = new Set<string>();
    while (!this.isPunct('}')) {
      const tagTok = this.next();
      if (tagTok.kind === 'eof') throw new IdlError(kw.pos, `struct '${name.text}' is not closed with '}'`);
      if (tagTok.kind !== 'number' || !/^\d+$/.test(tagTok.text)) this.fail(tagTok, 'a field tag (0..255) or \'}\'');
      const tag = Number(tagTok.text);
      if (tag > MAX_TAG) throw new IdlError(tagTok.pos, `tag ${tag} is out of range (0..${MAX_TAG})`);
      const mode = this.next();
      if (mode.kind !== 'ident' || (mode.text !== 'require' && mode.text !== 'optional')) this.fail(mode, "'require' or 'optional'");
      const type = this.parseType();
      const fname = this.name('a field name');
      let def: ValueExpr | undefined;
      if (this.isPunct('=')) {
        this.next();
        def = this.parseValue();
      }
      const semi = this.punct(';');
      const prev = tags.get(tag);
      if (prev !== undefined) throw new IdlError(tagTok.pos, `tag ${tag} of '${fname.text}' is already used by '${prev}'`);
      if (names.has(fname.text)) throw new IdlError(fname.pos, `field '${fname.text}' is declared twice in '${name.text}'`);
      tags.set(tag, fname.text);
      names.add(fname.text);
      const doc = joinDoc(tagTok.doc, semi.trailing);
      fields.push({
        tag,
        required: mode.text === 'require',
        type,
        name: fname.text,
        ...(def ? { default: def } : {}),
        ...(doc ? { doc } : {}),
        pos: tagTok.pos,
      });
    }
    this.punct('}');
    this.optionalSemicolon();
    return { kind: 'struct', name: name.text, module, fields, ...docOf(kw), pos: kw.pos, file: this.file };
  }

  private parseKey(structs: Map<string, StructDecl>): void {
    const kw = this.word('key');
    this.punct('[');
    const sname = this.name('a struct name');
    const struct = structs.get(sname.text);
    if (!struct) throw new IdlError(sname.pos, `key[] names '${sname.text}', which is not a struct declared before it in this module`);
    const keys: string[] = [];
    while (this.isPunct(',')) {
      this.next();
      const f = this.name('a field name');
      if (!struct.fields.some((x) => x.name === f.text)) throw new IdlError(f.pos, `struct '${struct.name}' has no field '${f.text}'`);
      keys.push(f.text);
    }
    this.punct(']');
    this.punct(';');
    if (keys.length === 0) throw new IdlError(kw.pos, 'key[] needs at least one field');
    struct.keyFields = keys;
  }

  private parseEnum(module: string): EnumDecl {
    const kw = this.word('enum');
    const name = this.name('an enum name');
    this.punct('{');
    const members: EnumMember[] = [];
    while (!this.isPunct('}')) {
      const m = this.name('an enum member name');
      if (members.some((x) => x.name === m.text)) throw new IdlError(m.pos, `enum member '${m.text}' is declared twice`);
      let expr: ValueExpr | undefined;
      if (this.isPunct('=')) {
        this.next();
        expr = this.parseValue();
        if (expr.kind !== 'number' && expr.kind !== 'ref') throw new IdlError(expr.pos, 'an enum value must be an integer or another enum member');
      }
      let trailing: string | undefined;
      if (this.isPunct(',')) trailing = this.next().trailing;
      else if (!this.isPunct('}')) this.fail(this.peek(), "',' or '}'");
      const doc = joinDoc(m.doc, trailing ?? m.trailing);
      members.push({ name: m.text, ...(expr ? { expr } : {}), value: 0, ...(doc ? { doc } : {}), pos: m.pos });
    }
    this.punct('}');
    this.optionalSemicolon();
    if (members.length === 0) throw new IdlError(kw.pos, `enum '${name.text}' has no members`);
    return { kind: 'enum', name: name.text, module, members, ...docOf(kw), pos: kw.pos, file: this.file };
  }

  private parseConst(module: string): ConstDecl {
    const kw = this.word('const');
    const type = this.parseType();
    const name = this.name('a constant name');
    this.punct('=');
    const expr = this.parseValue();
    const semi = this.punct(';');
    const doc = joinDoc(kw.doc, semi.trailing);
    return { kind: 'const', name: name.text, module, type, expr, ...(doc ? { doc } : {}), pos: kw.pos, file: this.file };
  }

  private parseValue(): ValueExpr {
    const t = this.next();
    if (t.kind === 'punct' && (t.text === '-' || t.text === '+')) {
      const n = this.next();
      if (n.kind !== 'number') this.fail(n, 'a number after the sign');
      return { kind: 'number', text: t.text === '-' ? `-${n.text}` : n.text, pos: t.pos };
    }
    if (t.kind === 'number') return { kind: 'number', text: t.text, pos: t.pos };
    if (t.kind === 'string') return { kind: 'string', value: t.text, pos: t.pos };
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true', pos: t.pos };
      if (RESERVED.has(t.text)) this.fail(t, 'a value');
      return { kind: 'ref', name: t.text, pos: t.pos };
    }
    this.fail(t, 'a value (number, string, true/false or a name)');
  }

  private parseInterface(module: string): InterfaceDecl {
    const kw = this.word('interface');
    const name = this.name('an interface name');
    this.punct('{');
    const methods: MethodDecl[] = [];
    while (!this.isPunct('}')) {
      if (this.peek().kind === 'eof') throw new IdlError(kw.pos, `interface '${name.text}' is not closed with '}'`);
      const m = this.parseMethod();
      const dup = methods.find((x) => x.name === m.name);
      if (dup) throw new IdlError(m.pos, `method '${m.name}' is declared twice in '${name.text}' (overloads are not supported)`);
      methods.push(m);
    }
    this.punct('}');
    this.optionalSemicolon();
    return { kind: 'interface', name: name.text, module, methods, ...docOf(kw), pos: kw.pos, file: this.file };
  }

  private parseMethod(): MethodDecl {
    const first = this.peek();
    let returns: TypeRef | undefined;
    if (this.isWord('void')) this.next();
    else returns = this.parseType();
    const name = this.name('a method name');
    this.punct('(');
    const params: ParamDecl[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        const start = this.peek();
        let out = false;
        let routeKey = false;
        while (this.isWord('out') || this.isWord('routekey')) {
          if (this.next().text === 'out') out = true;
          else routeKey = true;
        }
        const type = this.parseType();
        const p = this.name('a parameter name');
        if (params.some((x) => x.name === p.text)) throw new IdlError(p.pos, `parameter '${p.text}' is declared twice`);
        params.push({ name: p.text, type, out, routeKey, pos: start.pos });
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        break;
      }
    }
    this.punct(')');
    const semi = this.punct(';');
    const doc = joinDoc(first.doc, semi.trailing);
    return { name: name.text, ...(returns ? { returns } : {}), params, ...(doc ? { doc } : {}), pos: first.pos };
  }
}

function joinDoc(a: string | undefined, b: string | undefined): string | undefined {
  const parts = [a, b].filter((x): x is string => !!x);
  return parts.length ? parts.join('\n') : undefined;
}

function docOf(t: Token): { doc?: string } {
  return t.doc ? { doc: t.doc } : {};
}
