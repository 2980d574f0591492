import type {
  ConstDecl,
  ConstValue,
  Decl,
  EnumDecl,
  EnumMember,
  IdlFile,
  Pos,
  PrimitiveName,
  StructDecl,
  TypeRef,
  ValueExpr,
} from './ast.ts';
import { IdlError } from './errors.ts';
import type { LoadedFiles } from './loader.ts';

/** Loaded files whose type references are linked and whose values are checked. */
export interface Program extends LoadedFiles {
  /** For each file: the files it can see (itself and everything it includes, transitively). */
  visible: Map<string, IdlFile[]>;
}

const INT_RANGES: Partial<Record<PrimitiveName, [bigint, bigint]>> = {
  byte: [-128n, 127n],
  short: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  'unsigned byte': [0n, 255n],
  'unsigned short': [0n, 65535n],
  'unsigned int': [0n, 4294967295n],
};

/** Parses an IDL number: integers (decimal, hex) as bigint, others as number. */
export function parseNumber(text: string, pos: Pos): number | bigint {
  let t = text;
  const neg = t.startsWith('-');
  if (neg) t = t.slice(1);
  const hex = /^0[xX]/.test(t);
  t = hex ? t.replace(/[lLuU]+$/, '') : t.replace(/[lLuUfF]+$/, '');
  if (hex) return neg ? -BigInt(t) : BigInt(t);
  if (/^\d+$/.test(t)) return neg ? -BigInt(t) : BigInt(t);
  const n = Number(t);
  if (!Number.isFinite(n)) throw new IdlError(pos, `'${text}' is not a number`);
  return neg ? -n : n;
}

function describeType(t: TypeRef): string {
  switch (t.kind) {
    case 'primitive':
      return t.name;
    case 'vector':
      return `vector<${describeType(t.element)}>`;
    case 'map':
      return `map<${describeType(t.key)}, ${describeType(t.value)}>`;
    case 'named':
      return t.name;
  }
}

export function resolveProgram(loaded: LoadedFiles): Program {
  return new Resolver(loaded).run();
}

class Resolver {
  private readonly loaded: LoadedFiles;
  private readonly visible = new Map<string, IdlFile[]>();
  /** Per file: `module::Name` → declaration, for everything the file can see. */
  private readonly scopes = new Map<string, Map<string, Decl>>();
  private readonly enumState = new Map<EnumDecl, 'busy' | 'done'>();
  private readonly constState = new Map<ConstDecl, 'busy' | 'done'>();

  constructor(loaded: LoadedFiles) {
    this.loaded = loaded;
  }

  run(): Program {
    for (const f of this.loaded.files.values()) this.visible.set(f.path, this.closure(f));
    for (const f of this.loaded.files.values()) this.scopes.set(f.path, this.buildScope(f));
    for (const f of this.loaded.files.values()) {
      for (const m of f.modules) {
        for (const d of m.decls) {
          if (d.kind === 'enum') this.evalEnum(d);
          else if (d.kind === 'const') this.evalConst(d);
          else if (d.kind === 'struct') this.resolveStruct(d);
          else {
            for (const meth of d.methods) {
              if (meth.returns) this.resolveType(meth.returns, d.file, d.module);
              for (const p of meth.params) this.resolveType(p.type, d.file, d.module);
            }
          }
        }
      }
    }
    return { ...this.loaded, visible: this.visible };
  }

  private closure(f: IdlFile): IdlFile[] {
    const seen = new Set<string>();
    const out: IdlFile[] = [];
    const walk = (file: IdlFile) => {
      if (seen.has(file.path)) return;
      seen.add(file.path);
      out.push(file);
      for (const inc of file.includes) walk(this.loaded.files.get(inc.resolved!)!);
    };
    walk(f);
    return out;
  }

  private buildScope(f: IdlFile): Map<string, Decl> {
    const scope = new Map<string, Decl>();
    for (const vf of this.visible.get(f.path)!) {
      for (const m of vf.modules) {
        for (const d of m.decls) {
          const key = `${m.name}::${d.name}`;
          const prev = scope.get(key);
          if (prev && prev !== d) {
            throw new IdlError(d.pos, `'${key}' is already declared at ${prev.pos.file}:${prev.pos.line}:${prev.pos.column}`);
          }
          scope.set(key, d);
        }
      }
    }
    return scope;
  }

  private lookup(name: string, file: string, module: string): Decl | undefined {
    const scope = this.scopes.get(file)!;
    return name.includes('::') ? scope.get(name) : scope.get(`${module}::${name}`);
  }

  private resolveType(t: TypeRef, file: string, module: string): void {
    if (t.kind === 'vector') return this.resolveType(t.element, file, module);
    if (t.kind === 'map') {
      this.resolveType(t.key, file, module);
      return this.resolveType(t.value, file, module);
    }
    if (t.kind !== 'named') return;
    const d = this.lookup(t.name, file, module);
    if (!d) throw new IdlError(t.pos, `unknown type '${t.name}'`);
    if (d.kind !== 'struct' && d.kind !== 'enum') throw new IdlError(t.pos, `'${t.name}' is a${d.kind === 'interface' ? 'n' : ''} ${d.kind}, not a type`);
    t.target = d;
  }

  private resolveStruct(s: StructDecl): void {
    for (const f of s.fields) {
      this.resolveType(f.type, s.file, s.module);
      if (f.default) f.defaultValue = this.checkValue(f.default, f.type, s.file, s.module);
    }
  }

  private evalEnum(e: EnumDecl): void {
    const state = this.enumState.get(e);
    if (state === 'done') return;
    if (state === 'busy') throw new IdlError(e.pos, `enum '${e.name}' refers to itself through other enums`);
    this.enumState.set(e, 'busy');
    let next = 0n;
    e.members.forEach((m, idx) => {
      let v = next;
      if (m.expr) v = this.intValue(m.expr, e.file, e.module, { enumDecl: e, upTo: idx });
      if (v < -2147483648n || v > 2147483647n) throw new IdlError(m.pos, `enum value ${v} of '${m.name}' does not fit an int`);
      m.value = Number(v);
      next = v + 1n;
    });
    this.enumState.set(e, 'done');
  }

  private evalConst(c: ConstDecl): void {
    const state = this.constState.get(c);
    if (state === 'done') return;
    if (state === 'busy') throw new IdlError(c.pos, `constant '${c.name}' refers to itself`);
    this.constState.set(c, 'busy');
    this.resolveType(c.type, c.file, c.module);
    if (c.type.kind === 'vector' || c.type.kind === 'map' || (c.type.kind === 'named' && c.type.target?.kind === 'struct')) {
      throw new IdlError(c.pos, `a constant cannot have type ${describeType(c.type)}`);
    }
    c.value = this.checkValue(c.expr, c.type, c.file, c.module);
    this.constState.set(c, 'done');
  }

  /** Finds the enum member a reference names: `M`, `Enum::M` or `module::Enum::M`. */
  private findMember(name: string, file: string, module: string, own?: { enumDecl: EnumDecl; upTo: number }): EnumMember | undefined {
    const parts = name.split('::');
    if (parts.length === 1) {
      if (own) {
        const m = own.enumDecl.members.slice(0, own.upTo).find((x) => x.name === name);
        if (m) return m;
      }
      // C++ enums are unscoped: members are visible in the module
      for (const d of this.scopes.get(file)!.values()) {
        if (d.kind !== 'enum' || d.module !== module || d === own?.enumDecl) continue;
        const m = d.members.find((x) => x.name === name);
        if (m) {
          this.evalEnum(d);
          return m;
        }
      }
      return undefined;
    }
    const member = parts.pop()!;
    const d = this.lookup(parts.join('::'), file, module);
    if (!d || d.kind !== 'enum') return undefined;
    if (d === own?.enumDecl) return d.members.slice(0, own.upTo).find((x) => x.name === member);
    this.evalEnum(d);
    return d.members.find((x) => x.name === member);
  }

  private findConst(name: string, file: string, module: string): ConstDecl | undefined {
    const d = this.lookup(name, file, module);
    if (d?.kind !== 'const') return undefined;
    this.evalConst(d);
    return d;
  }

  private intValue(expr: ValueExpr, file: string, module: string, own?: { enumDecl: EnumDecl; upTo: number }): bigint {
    if (expr.kind === 'number') {
      const v = parseNumber(expr.text, expr.pos);
      if (typeof v !== 'bigint') throw new IdlError(expr.pos, `expected an integer, found ${expr.text}`);
      return v;
    }
    if (expr.kind === 'ref') {
      const m = this.findMember(expr.name, file, module, own);
      if (m) return BigInt(m.value);
      const c = this.findConst(expr.name, file, module);
      if (c && (typeof c.value === 'number' || typeof c.value === 'bigint') && Number.isInteger(Number(c.value))) return BigInt(c.value);
      throw new IdlError(expr.pos, `unknown enum member or integer constant '${expr.name}'`);
    }
    throw new IdlError(expr.pos, `expected an integer, found ${expr.kind === 'string' ? 'a string' : expr.value}`);
  }

  /** Checks a default or const value against its type and returns it in TS form. */
  private checkValue(expr: ValueExpr, type: TypeRef, file: string, module: string): ConstValue {
    if (type.kind === 'vector' || type.kind === 'map') throw new IdlError(expr.pos, `a ${describeType(type)} cannot have a default value`);
    if (type.kind === 'named') {
      const target = type.target!;
      if (target.kind === 'struct') throw new IdlError(expr.pos, `struct '${type.name}' cannot have a default value`);
      if (expr.kind === 'ref') {
        const m = this.findMember(expr.name.includes('::') ? expr.name : `${target.module}::${target.name}::${expr.name}`, file, module);
        if (m && target.members.includes(m)) return m.value;
      }
      if (expr.kind === 'number') {
        this.evalEnum(target);
        const v = Number(this.intValue(expr, file, module));
        if (target.members.some((m) => m.value === v)) return v;
      }
      throw new IdlError(expr.pos, `default of enum '${type.name}' must be one of its members (${target.members.map((m) => m.name).join(', ')})`);
    }
    const name = type.name;
    if (expr.kind === 'ref') {
      const c = this.findConst(expr.name, file, module);
      if (c) return this.checkValue(c.expr, type, c.file, c.module);
      const m = this.findMember(expr.name, file, module);
      if (m && INT_RANGES[name]) return this.checkValue({ kind: 'number', text: String(m.value), pos: expr.pos }, type, file, module);
      throw new IdlError(expr.pos, `unknown constant '${expr.name}'`);
    }
    if (name === 'bool') {
      if (expr.kind === 'bool') return expr.value;
      if (expr.kind === 'number' && (expr.text === '0' || expr.text === '1')) return expr.text === '1';
      throw new IdlError(expr.pos, 'expected true or false for a bool');
    }
    if (name === 'string') {
      if (expr.kind === 'string') return expr.value;
      throw new IdlError(expr.pos, 'expected a string literal for a string');
    }
    if (expr.kind !== 'number') throw new IdlError(expr.pos, `expected a number for ${name}`);
    const v = parseNumber(expr.text, expr.pos);
    if (name === 'float' || name === 'double') return Number(v);
    if (typeof v !== 'bigint') throw new IdlError(expr.pos, `expected an integer for ${name}, found ${expr.text}`);
    const [min, max] = INT_RANGES[name]!;
    if (v < min || v > max) throw new IdlError(expr.pos, `${expr.text} is out of range for ${name} (${min}..${max})`);
    return name === 'long' ? v : Number(v);
  }
}
