/**
 * What the Kubernetes tarsstat does to each reported head before merging
 * (framework-services.md §2.4, K8S `src/StatServer/StatImp.cpp`): framework callees and
 * callers are dropped, `masterName@tarsVersion` is split, and the caller's or callee's IP is
 * taken from the connection the report came in on.
 */
import type { StatF } from '@tars-ts/interfaces';

/** Callees whose calls are not recorded: the framework's own monitoring traffic. */
export const DROPPED_SLAVES: ReadonlySet<string> = new Set(['tars.tarsnode', 'tars.tarsproperty', 'tars.tarsstat', 'tars.tarsnotify']);
/** Callers dropped when they report as `<name>@<version>`. */
export const DROPPED_MASTERS: ReadonlySet<string> = new Set(['tars.tarsnode', 'elk']);

/** A head after the rewrite: what a stat row is keyed by. */
export interface StatKey {
  masterName: string;
  slaveName: string;
  interfaceName: string;
  masterIp: string;
  slaveIp: string;
  slavePort: number;
  returnValue: number;
  slaveSetName: string;
  slaveSetArea: string;
  slaveSetID: string;
  tarsVersion: string;
}

export type DropReason = 'framework-slave' | 'framework-master';

/**
 * Applies the K8S rules to one head reported by the peer at `peerIp`. `bFromClient` reports come
 * from callers (their own IP becomes `masterIp`), the others from callees (`slaveIp`).
 * Returns the rewritten key, or why the head is dropped.
 */
export function rewriteHead(head: StatF.StatMicMsgHead, bFromClient: boolean, peerIp: string): StatKey | DropReason {
  if (DROPPED_SLAVES.has(head.slaveName)) return 'framework-slave';
  let masterName = head.masterName;
  let tarsVersion = head.tarsVersion;
  const at = masterName.indexOf('@');
  if (at >= 0) {
    tarsVersion = masterName.slice(at + 1);
    masterName = masterName.slice(0, at);
    if (DROPPED_MASTERS.has(masterName)) return 'framework-master';
  }
  return {
    masterName,
    slaveName: head.slaveName,
    interfaceName: head.interfaceName,
    masterIp: bFromClient ? peerIp : head.masterIp,
    slaveIp: bFromClient ? head.slaveIp : peerIp,
    slavePort: head.slavePort,
    returnValue: head.returnValue,
    slaveSetName: head.slaveSetName,
    slaveSetArea: head.slaveSetArea,
    slaveSetID: head.slaveSetID,
    tarsVersion,
  };
}

/** One string per distinct key (every field, length-prefixed so no separator can collide). */
export function statKeyString(k: StatKey): string {
  let s = '';
  for (const v of [k.masterName, k.slaveName, k.interfaceName, k.masterIp, k.slaveIp, String(k.slavePort), String(k.returnValue), k.slaveSetName, k.slaveSetArea, k.slaveSetID, k.tarsVersion]) {
    s += `${v.length}:${v}`;
  }
  return s;
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`. */
export function peerIpOf(remoteAddress: string): string {
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}
