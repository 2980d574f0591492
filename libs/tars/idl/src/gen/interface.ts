import type { InterfaceDecl, MethodDecl, TypeRef } from '../ast.ts';
import { IdlError } from '../errors.ts';
import type { FileContext } from './context.ts';
import { docLines, emitRead, emitWrite, quote, tsType, tupType, zeroValue } from './types.ts';

// Members of ServantProxy/Servant (or JS) that an IDL method must not shadow.
const FORBIDDEN_METHODS = new Set(['invoke', 'constructor', 'descriptor', 'tarsObject']);

export const TS_RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield await arguments eval').split(' '),
);

/** A TS identifier for an IDL parameter name. */
function paramName(name: string): string {
  return TS_RESERVED.has(name) ? `${name}_` : name;
}

/** A name not taken by the method's parameters. */
function freeName(base: string, m: MethodDecl): string {
  let n = base;
  while (m.params.some((p) => paramName(p.name) === n)) n += '_';
  return n;
}

/** The TS type a call resolves to: the return value, or `{ ret?, out… }` when there are out params. */
function resultType(m: MethodDecl, ctx: FileContext): string {
  const outs = m.params.filter((p) => p.out);
  const ret = m.returns ? tsType(m.returns, ctx) : 'void';
  if (!outs.length) return ret;
  const parts = m.returns ? [`ret: ${ret}`] : [];
  for (const p of outs) parts.push(`${p.name}: ${tsType(p.type, ctx)}`);
  return `{ ${parts.join('; ')} }`;
}

/** A ValueCodec object literal for one type (made once at module load). */
function codecLiteral(t: TypeRef, ctx: FileContext, extra: string, indent: string): string[] {
  const ts = tsType(t, ctx);
  const inner = `${indent}    `;
  ctx.resetTemps();
  const write = emitWrite(t, ctx, 'tag', `v as ${ts}`, inner);
  ctx.resetTemps();
  const read = emitRead(t, ctx, (e) => `return ${e};`, inner);
  return [
    `${indent}{`,
    ...(extra ? [`${indent}  ${extra}`] : []),
    `${indent}  tupType: ${quote(tupType(t))},`,
    `${indent}  write(w, tag, v) {`,
    ...write,
    `${indent}  },`,
    `${indent}  read(r) {`,
    ...read,
    `${indent}  },`,
    `${indent}  empty: () => ${zeroValue(t, ctx)},`,
    `${indent}}`,
  ];
}

/** `IDescriptor`, `class IProxy extends ServantProxy`, `abstract class IServant extends Servant`. */
export function emitInterface(i: InterfaceDecl, ctx: FileContext): string {
  for (const m of i.methods) {
    if (FORBIDDEN_METHODS.has(m.name)) throw new IdlError(m.pos, `method name '${m.name}' is reserved by the generated proxy/servant classes`);
    const retOut = m.returns && m.params.find((p) => p.out && p.name === 'ret');
    if (retOut) throw new IdlError(retOut.pos, `out parameter 'ret' of '${m.name}' would clash with the return value in the result object`);
  }
  ctx.rpcTypes.add('InterfaceDescriptor');
  ctx.rpcValues.add('ServantProxy').add('Servant');
  ctx.rpcTypes.add('CallOptions').add('Current');
  const d = `${i.name}Descriptor`;
  const out: string[] = [];

  out.push(`/** How ${i.name}'s methods encode their parameters and results (for ServantProxy/Servant). */`);
  out.push(`export const ${d}: InterfaceDescriptor = {`, `  name: ${quote(`${i.module}.${i.name}`)},`, '  methods: {');
  for (const m of i.methods) {
    out.push(`    ${m.name}: {`, `      name: ${quote(m.name)},`);
    if (m.returns) {
      const lit = codecLiteral(m.returns, ctx, '', '      ');
      out.push(`      ret: ${lit[0].trim()}`, ...lit.slice(1, -1), `${lit[lit.length - 1]},`);
    }
    out.push('      params: [');
    m.params.forEach((p, idx) => {
      const extra = `name: ${quote(p.name)}, tag: ${idx + 1}, out: ${p.out},`;
      const lit = codecLiteral(p.type, ctx, extra, '        ');
      out.push(...lit.slice(0, -1), `${lit[lit.length - 1]},`);
    });
    out.push('      ],', '    },');
  }
  out.push('  },', '};', '');

  out.push(...docLines(i.doc, ''));
  out.push(`export class ${i.name}Proxy extends ServantProxy {`);
  out.push(`  static readonly descriptor: InterfaceDescriptor = ${d};`);
  for (const m of i.methods) {
    const ins = m.params.filter((p) => !p.out);
    const opt = freeName('options', m);
    const args = ins.map((p) => `${paramName(p.name)}: ${tsType(p.type, ctx)}`);
    args.push(`${opt}?: CallOptions`);
    const rt = resultType(m, ctx);
    out.push('', ...docLines(m.doc, '  '));
    out.push(`  ${m.name}(${args.join(', ')}): Promise<${rt}> {`);
    out.push(`    return this.invoke(${d}.methods.${m.name}, [${ins.map((p) => paramName(p.name)).join(', ')}], ${opt}) as Promise<${rt}>;`);
    out.push('  }');
  }
  out.push('}', '');

  out.push(`/** Implement the methods of ${i.name}; the base class decodes calls and encodes results. */`);
  out.push(`export abstract class ${i.name}Servant extends Servant {`);
  out.push(`  static readonly descriptor: InterfaceDescriptor = ${d};`);
  for (const m of i.methods) {
    const ins = m.params.filter((p) => !p.out);
    const cur = freeName('current', m);
    const args = [`${cur}: Current`, ...ins.map((p) => `${paramName(p.name)}: ${tsType(p.type, ctx)}`)];
    const rt = resultType(m, ctx);
    out.push('', ...docLines(m.doc, '  '));
    out.push(`  abstract ${m.name}(${args.join(', ')}): ${rt} | Promise<${rt}>;`);
  }
  out.push('}');
  return out.join('\n');
}
