// TServer v1beta2 <-> v1beta3. v1beta2 has one `readinessGate` and no `command`/`args`; what it
// cannot hold travels in the conversion annotation, so v3 -> v2 -> v3 returns the same object.
import { dropCarried, isStringArray, readCarried, writeCarried, type Carried } from '../../conversion/annotation.ts';
import type { ObjectMeta } from '../../meta/object-meta.ts';
import type { TServer as TServerV1beta2 } from './v1beta2.ts';
import type { TServer as TServerV1beta3 } from './v1beta3.ts';

/** The fields both directions touch; everything else is carried over untouched. */
interface Draft {
  apiVersion: string;
  metadata: ObjectMeta;
  spec?: { k8s?: { command?: string[]; args?: string[]; readinessGates?: string[]; readinessGate?: string } };
}

function draft(obj: object, apiVersion: string): Draft {
  const copy = structuredClone(obj) as Draft;
  copy.apiVersion = apiVersion;
  copy.metadata ??= {};
  return copy;
}

export function tserverToV1beta2(input: TServerV1beta3): TServerV1beta2 {
  const obj = draft(input, 'k8s.tars.io/v1beta2');
  const carried: Carried = {};
  const k8s = obj.spec?.k8s;
  if (k8s !== undefined) {
    const { command, args, readinessGates } = k8s;
    delete k8s.command;
    delete k8s.args;
    delete k8s.readinessGates;
    if (command !== undefined) carried.command = command;
    if (args !== undefined) carried.args = args;
    if (readinessGates !== undefined) {
      if (readinessGates.length > 0) k8s.readinessGate = readinessGates[0];
      // The first gate fits in readinessGate; an empty list or further gates need the annotation.
      if (readinessGates.length !== 1) carried.readinessGates = readinessGates.slice(1);
    }
  }
  writeCarried(obj.metadata, carried);
  return obj as unknown as TServerV1beta2;
}

export function tserverToV1beta3(input: TServerV1beta2): TServerV1beta3 {
  const obj = draft(input, 'k8s.tars.io/v1beta3');
  const carried = readCarried(obj.metadata) ?? {};
  dropCarried(obj.metadata);
  const k8s = obj.spec?.k8s;
  if (k8s !== undefined) {
    const gate = k8s.readinessGate;
    delete k8s.readinessGate;
    const more = isStringArray(carried.readinessGates) ? carried.readinessGates : undefined;
    if (gate !== undefined) k8s.readinessGates = [gate, ...(more ?? [])];
    else if (more !== undefined) k8s.readinessGates = more;
    if (isStringArray(carried.command)) k8s.command = carried.command;
    if (isStringArray(carried.args)) k8s.args = carried.args;
  }
  return obj as unknown as TServerV1beta3;
}
