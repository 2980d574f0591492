// Structural defaulting and pruning, in the order the API server applies them: a missing field
// gets its default, then defaults inside it (and inside every present field) apply in turn.
// Like the API server (no field here is `nullable`), a `null` field counts as absent: it takes
// its default or is dropped.
import type { Node } from './dsl.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `value` with every schema default filled in; the input is not modified. */
export function applyDefaults<T>(node: Node, value: T): T {
  return fill(node, structuredClone(value)) as T;
}

function fill(node: Node, value: unknown): unknown {
  switch (node.kind) {
    case 'object': {
      if (!isPlainObject(value)) return value;
      for (const [name, child] of Object.entries(node.properties)) {
        if ((value[name] === undefined || value[name] === null) && child.default !== undefined) value[name] = structuredClone(child.default);
      }
      for (const [name, child] of Object.entries(node.properties)) {
        if (value[name] !== undefined) value[name] = fill(child, value[name]);
      }
      return value;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => fill(node.items, item)) : value;
    case 'map':
      if (!isPlainObject(value)) return value;
      for (const [key, item] of Object.entries(value)) value[key] = fill(node.values, item);
      return value;
    default:
      return value;
  }
}

/** A copy of `value` without the fields the schema does not declare (what the API server drops). */
export function prune<T>(node: Node, value: T): T {
  return cut(node, value) as T;
}

function cut(node: Node, value: unknown): unknown {
  switch (node.kind) {
    case 'object': {
      if (!isPlainObject(value)) return structuredClone(value);
      const out: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(node.properties)) {
        if (name in value && value[name] !== null) out[name] = cut(child, value[name]);
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => cut(node.items, item)) : structuredClone(value);
    case 'map': {
      if (!isPlainObject(value)) return structuredClone(value);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) if (item !== null) out[key] = cut(node.values, item);
      return out;
    }
    default:
      return structuredClone(value);
  }
}
