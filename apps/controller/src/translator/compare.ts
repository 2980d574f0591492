// Does an object on the API server still carry what the translator wants? Two checks, so that a
// reconcile writes only on a real difference and never loops on server-side defaults:
// - the hash of the desired owned fields, stamped as an annotation when we write, catches every
//   change of intent (including a field the TServer no longer sets);
// - `covers(desired, actual)` catches edits by others: every field we set must still hold our
//   value. Fields the API server adds (defaults) or others add (injected sidecars) are ignored.
import { createHash } from 'node:crypto';

export const HASH_ANNOTATION = 'tars.io/TranslatedHash';

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(stable(value))).digest('hex').slice(0, 32);
}

const QUANTITY = /^([+-]?[0-9.]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$/;
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The API server canonicalises quantities (`0.5` → `500m`); compare their values. */
function quantityValue(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (Number.isNaN(n)) return undefined;
  const suffix = m[2] ?? '';
  if (/^[eE]/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  const f = SUFFIX[suffix];
  return f === undefined ? undefined : n * f;
}

/** Lists whose items are matched by `name` and may hold extra items (injected containers). */
const BY_NAME = new Set(['containers', 'initContainers']);

/** Whether every field of `desired` holds the same value in `actual`. */
export function covers(desired: unknown, actual: unknown, key = ''): boolean {
  if (desired === undefined) return true;
  if (desired === null || typeof desired !== 'object') {
    if (desired === actual) return true;
    if (typeof desired === 'string' && typeof actual === 'string') {
      const a = quantityValue(desired);
      const b = quantityValue(actual);
      return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-12;
    }
    return false;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(actual)) return desired.length === 0 && actual === undefined;
    if (BY_NAME.has(key)) {
      return desired.every((d: { name?: string }) => covers(d, actual.find((a: { name?: string }) => a?.name === d?.name)));
    }
    return desired.length === actual.length && desired.every((d, i) => covers(d, actual[i]));
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
    return Object.values(desired).every((v) => v === undefined) && actual === undefined;
  }
  return Object.entries(desired).every(([k, v]) => covers(v, (actual as Record<string, unknown>)[k], k));
}
