// The two patch formats Kubernetes accepts for custom resources, applied in process by the
// embedded store: JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386).
import { InvalidError } from './errors.ts';

export type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

export type Patch = { type: 'json'; ops: JsonPatchOp[] } | { type: 'merge'; value: Record<string, unknown> };

type Json = unknown;
type Container = Record<string, Json> | Json[];

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new InvalidError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isContainer(v: Json): v is Container {
  return typeof v === 'object' && v !== null;
}

function arrayIndex(arr: Json[], token: string, forInsert: boolean, pointer: string): number {
  if (forInsert && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new InvalidError(`invalid array index ${JSON.stringify(token)} in ${pointer}`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i === arr.length)) throw new InvalidError(`array index ${i} out of range in ${pointer}`);
  return i;
}

/** The container holding the last token of `pointer`, and that token. */
function locate(doc: Json, pointer: string): { parent: Container; key: string } {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new InvalidError('patching the document root is not supported');
  let node = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, t, false, pointer)];
    else if (isContainer(node) && Object.hasOwn(node, t)) node = (node as Record<string, Json>)[t];
    else throw new InvalidError(`path ${pointer} does not exist`);
    if (!isContainer(node)) throw new InvalidError(`path ${pointer} does not exist`);
  }
  return { parent: node as Container, key: tokens[tokens.length - 1] };
}

function get(doc: Json, pointer: string): Json {
  let node = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, t, false, pointer)];
    else if (isContainer(node) && Object.hasOwn(node, t)) node = (node as Record<string, Json>)[t];
    else throw new InvalidError(`path ${pointer} does not exist`);
  }
  return node;
}

function add(doc: Json, pointer: string, value: Json): void {
  const { parent, key } = locate(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
  else parent[key] = value;
}

function remove(doc: Json, pointer: string): Json {
  const { parent, key } = locate(doc, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, false, pointer), 1)[0];
  if (!Object.hasOwn(parent, key)) throw new InvalidError(`path ${pointer} does not exist`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]));
}

/** RFC 6902 on a copy of `doc`; all-or-nothing (a failing op, including `test`, throws). */
export function applyJsonPatch<T>(doc: T, ops: readonly JsonPatchOp[]): T {
  const out = structuredClone(doc) as Json;
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        add(out, op.path, structuredClone(op.value));
        break;
      case 'remove':
        remove(out, op.path);
        break;
      case 'replace':
        get(out, op.path);
        remove(out, op.path);
        add(out, op.path, structuredClone(op.value));
        break;
      case 'move': {
        if (op.path.startsWith(`${op.from}/`)) throw new InvalidError(`cannot move ${op.from} into its own child ${op.path}`);
        add(out, op.path, remove(out, op.from));
        break;
      }
      case 'copy':
        add(out, op.path, structuredClone(get(out, op.from)));
        break;
      case 'test':
        if (!deepEqual(get(out, op.path), op.value)) throw new InvalidError(`test operation failed: ${op.path} is not ${JSON.stringify(op.value)}`);
        break;
      default:
        throw new InvalidError(`unknown JSON patch operation ${JSON.stringify((op as { op: unknown }).op)}`);
    }
  }
  return out as T;
}

/** RFC 7386: objects merge recursively, `null` deletes, anything else (arrays too) replaces. */
export function applyMergePatch<T>(doc: T, patch: Json): T {
  if (!isContainer(patch) || Array.isArray(patch)) return structuredClone(patch) as T;
  const base: Record<string, Json> = isContainer(doc) && !Array.isArray(doc) ? structuredClone(doc as Record<string, Json>) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k];
    else base[k] = applyMergePatch(base[k], v);
  }
  return base as T;
}

export function applyPatch<T>(doc: T, patch: Patch): T {
  return patch.type === 'json' ? applyJsonPatch(doc, patch.ops) : applyMergePatch(doc, patch.value);
}

export { deepEqual };
