// The vendored IDL files and the generated modules that belong to them (shared by the tests).
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFiles, resolveProgram, type InterfaceDecl, type Program, type StructDecl } from '@tars-ts/idl';
import type { InterfaceDescriptor } from '@tars-ts/rpc';
import * as generated from '../src/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const idlDir = path.resolve(here, '../../../../third_party/tars-idl');
export const srcDir = path.resolve(here, '../src');

/** Every .tars file of third_party/tars-idl and its k8s/ folder, as the generate script lists them. */
export function vendoredIdlFiles(): string[] {
  const list = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tars')).sort().map((f) => path.join(dir, f));
  return [...list(idlDir), ...list(path.join(idlDir, 'k8s'))];
}

export function vendoredProgram(): Program {
  return resolveProgram(loadFiles(vendoredIdlFiles()));
}

/** The generated struct object (`create/encode/decode/...`) for a struct of a vendored file. */
export interface GeneratedStruct {
  tarsName: string;
  create(init?: object): unknown;
  encode(v: unknown): Buffer;
  decode(buf: Uint8Array): unknown;
}

/** The generated module of a vendored IDL file (through the package's namespace index). */
function generatedModule(file: string): Record<string, unknown> {
  const rel = path.relative(idlDir, file).split(path.sep);
  let ns: unknown = generated;
  for (const part of rel) ns = (ns as Record<string, unknown> | undefined)?.[part.replace(/\.tars$/, '')];
  if (!ns) throw new Error(`no generated module for ${rel.join('/')}`);
  return ns as Record<string, unknown>;
}

export function generatedStruct(s: StructDecl): GeneratedStruct {
  const value = generatedModule(s.file)[s.name] as GeneratedStruct | undefined;
  if (!value) throw new Error(`no generated struct ${s.name} for ${s.file}`);
  return value;
}

export function generatedDescriptor(i: InterfaceDecl): InterfaceDescriptor {
  const value = generatedModule(i.file)[`${i.name}Descriptor`] as InterfaceDescriptor | undefined;
  if (!value) throw new Error(`no generated descriptor ${i.name}Descriptor for ${i.file}`);
  return value;
}

/** Every interface of every vendored file, with a label naming the file. */
export function vendoredInterfaces(program: Program): Array<{ label: string; decl: InterfaceDecl }> {
  const out: Array<{ label: string; decl: InterfaceDecl }> = [];
  for (const f of [...program.files.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    const rel = path.relative(idlDir, f.path).split(path.sep).join('/');
    for (const m of f.modules) for (const d of m.decls) if (d.kind === 'interface') out.push({ label: `${rel} ${m.name}.${d.name}`, decl: d });
  }
  return out;
}

/** Every struct of every vendored file, with a label naming the file. */
export function vendoredStructs(program: Program): Array<{ label: string; decl: StructDecl }> {
  const out: Array<{ label: string; decl: StructDecl }> = [];
  for (const f of [...program.files.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    const rel = path.relative(idlDir, f.path).split(path.sep).join('/');
    for (const m of f.modules) for (const d of m.decls) if (d.kind === 'struct') out.push({ label: `${rel} ${m.name}.${d.name}`, decl: d });
  }
  return out;
}
