import type { ConstDecl, EnumDecl } from '../ast.ts';
import type { FileContext } from './context.ts';
import { docLines, literal, tsType } from './types.ts';

/** `const E = { A: 0, … } as const` and `type E` = the union of its values. */
export function emitEnum(e: EnumDecl): string {
  const out = [...docLines(e.doc, ''), `export const ${e.name} = {`];
  for (const m of e.members) {
    out.push(...docLines(m.doc, '  '));
    out.push(`  ${m.name}: ${m.value},`);
  }
  out.push('} as const;');
  out.push(`export type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];`);
  return out.join('\n');
}

export function emitConst(c: ConstDecl, ctx: FileContext): string {
  const isEnum = c.type.kind === 'named';
  const annot = isEnum ? `: ${tsType(c.type, ctx)}` : '';
  return [...docLines(c.doc, ''), `export const ${c.name}${annot} = ${literal(c.value!, c.type)};`].join('\n');
}
