// The annotation that carries, on a v1beta2 object, the v1beta3 fields v1beta2 cannot express:
// `tars.io/Conversion.1b21b3: {"append":{...},"drop":{}}` (upstream's format, so objects written
// by either implementation convert the same way). The key is reserved for conversion.
import { Annotation } from '../meta/constants.ts';
import type { ObjectMeta } from '../meta/object-meta.ts';

export type Carried = Record<string, unknown>;

/** The carried fields, or undefined when the annotation is absent or not in the expected shape. */
export function readCarried(meta: ObjectMeta | undefined): Carried | undefined {
  const text = meta?.annotations?.[Annotation.Conversion1b21b3];
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const append = (parsed as { append?: unknown }).append;
    if (typeof append !== 'object' || append === null || Array.isArray(append)) return undefined;
    return append as Carried;
  } catch {
    return undefined;
  }
}

/** `meta` with the annotation removed (and an emptied annotations map dropped). Mutates `meta`. */
export function dropCarried(meta: ObjectMeta): void {
  if (meta.annotations === undefined || !(Annotation.Conversion1b21b3 in meta.annotations)) return;
  delete meta.annotations[Annotation.Conversion1b21b3];
  if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
}

/** Stores `carried` in the annotation, or removes the annotation when nothing is carried. Mutates `meta`. */
export function writeCarried(meta: ObjectMeta, carried: Carried): void {
  if (Object.keys(carried).length === 0) return dropCarried(meta);
  meta.annotations = { ...meta.annotations, [Annotation.Conversion1b21b3]: JSON.stringify({ append: carried, drop: {} }) };
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
