// What the implementations need to know about each custom resource kind, read from @tars-ts/api
// so a new kind or subresource there needs no change here.
import { GROUP, KINDS, STORAGE_VERSION } from '@tars-ts/api';
import type { TarsKind } from './types.ts';

export interface TarsKindInfo {
  kind: TarsKind;
  plural: string;
  /** `k8s.tars.io/v1beta3`: the version this library reads and writes. */
  apiVersion: string;
  /** Has the status subresource: spec writes ignore status and status writes ignore the rest. */
  hasStatus: boolean;
}

export const TARS_API_VERSION = `${GROUP}/${STORAGE_VERSION}`;

const byKind = new Map<string, TarsKindInfo>(
  KINDS.map((k) => {
    const version = k.versions.find((v) => v.name === STORAGE_VERSION);
    return [k.kind, { kind: k.kind as TarsKind, plural: k.plural, apiVersion: TARS_API_VERSION, hasStatus: version?.status === true }];
  }),
);

export function tarsKindInfo(kind: string): TarsKindInfo {
  const info = byKind.get(kind);
  if (info === undefined) throw new Error(`unknown kind ${JSON.stringify(kind)} of group ${GROUP} (known: ${[...byKind.keys()].join(', ')})`);
  return info;
}

export function allTarsKinds(): TarsKindInfo[] {
  return [...byKind.values()];
}
