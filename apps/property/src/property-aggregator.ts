/**
 * Merges PropertyF reports into 1-minute windows labelled by their end, like stat (the K8S
 * tarsproperty flushes every minute, framework-services.md §4.4). K8S rules: entries of
 * `tars.tarsnode` are dropped; `ip` is the reporting connection's IP; every other head field is
 * kept as sent and is part of the key (so `iPropertyVer`/`sContainer` separate records).
 */
import type { PropertyF } from '@tars-ts/interfaces';
import type { PropertyRow } from '@tars-ts/storage';
import { timeLabels } from '@tars-ts/storage';
import { mergePolicy, policyRowValue, startPolicy, PolicyValueError, type PolicyValue } from './property-policy.ts';

export const WINDOW_MS = 60_000;
export const DROPPED_MODULES: ReadonlySet<string> = new Set(['tars.tarsnode']);

export function windowEndOf(nowMs: number): number {
  return (Math.floor(nowMs / WINDOW_MS) + 1) * WINDOW_MS;
}

export interface PropertyRecord {
  readonly head: PropertyF.StatPropMsgHead;
  /** Policy name → accumulator, in first-seen order. */
  readonly policies: Map<string, PolicyValue>;
}

export interface PropertyWindow {
  readonly endMs: number;
  readonly records: Map<string, PropertyRecord>;
}

export interface PropertyCounters {
  /** Map entries received. */
  entries: number;
  /** Policy values merged. */
  values: number;
  droppedFramework: number;
  /** Values that did not parse as their policy's format. */
  droppedInvalid: number;
  /** New heads refused because the window was full. */
  droppedOverflow: number;
}

export function propertyKeyString(h: PropertyF.StatPropMsgHead): string {
  let s = '';
  for (const v of [h.moduleName, h.ip, h.propertyName, h.setName, h.setArea, h.setID, h.sContainer, String(h.iPropertyVer)]) s += `${v.length}:${v}`;
  return s;
}

export class PropertyAggregator {
  readonly counters: PropertyCounters = { entries: 0, values: 0, droppedFramework: 0, droppedInvalid: 0, droppedOverflow: 0 };
  readonly #maxRecords: number;
  #current: PropertyWindow | undefined;
  #sealed: PropertyWindow[] = [];

  constructor(options: { maxRecords?: number } = {}) {
    this.#maxRecords = options.maxRecords ?? 1_000_000;
  }

  get openRecords(): number {
    return this.#current?.records.size ?? 0;
  }

  /** Merges one reportPropMsg call; returns the problems with values it dropped (for the log). */
  add(msg: ReadonlyMap<PropertyF.StatPropMsgHead, PropertyF.StatPropMsgBody>, peerIp: string, nowMs: number): string[] {
    const w = this.#windowAt(nowMs);
    const problems: string[] = [];
    const c = this.counters;
    for (const [head, body] of msg) {
      c.entries++;
      if (DROPPED_MODULES.has(head.moduleName)) {
        c.droppedFramework++;
        continue;
      }
      const key = { ...head, ip: peerIp };
      const id = propertyKeyString(key);
      let rec = w.records.get(id);
      if (!rec) {
        if (w.records.size >= this.#maxRecords) {
          c.droppedOverflow++;
          continue;
        }
        rec = { head: key, policies: new Map() };
        w.records.set(id, rec);
      }
      for (const info of body.vInfo) {
        try {
          const acc = rec.policies.get(info.policy);
          if (acc) mergePolicy(acc, info.value);
          else rec.policies.set(info.policy, startPolicy(info.policy, info.value));
          c.values++;
        } catch (e) {
          if (!(e instanceof PolicyValueError)) throw e;
          c.droppedInvalid++;
          problems.push(`${head.moduleName} ${head.propertyName}: ${e.message}`);
        }
      }
    }
    return problems;
  }

  takeDue(nowMs: number): PropertyWindow[] {
    if (this.#current && this.#current.endMs <= nowMs) this.#seal();
    const due = this.#sealed;
    this.#sealed = [];
    return due;
  }

  takeAll(): PropertyWindow[] {
    if (this.#current) this.#seal();
    const all = this.#sealed;
    this.#sealed = [];
    return all;
  }

  #windowAt(nowMs: number): PropertyWindow {
    const cur = this.#current;
    if (cur && nowMs < cur.endMs) return cur;
    if (cur) this.#seal();
    return (this.#current = { endMs: windowEndOf(nowMs), records: new Map() });
  }

  #seal(): void {
    const cur = this.#current!;
    this.#current = undefined;
    if (cur.records.size > 0) this.#sealed.push(cur);
  }
}

/** One row per (record, policy), labelled by the window's end. */
export function propertyRows(w: PropertyWindow, timestamp: number, utcOffsetMinutes?: number): PropertyRow[] {
  const { f_date, f_tflag } = timeLabels(w.endMs, utcOffsetMinutes);
  const rows: PropertyRow[] = [];
  for (const { head, policies } of w.records.values()) {
    for (const acc of policies.values()) {
      rows.push({
        f_timestamp: timestamp, f_date, f_tflag,
        master_name: head.moduleName, master_ip: head.ip, property_name: head.propertyName,
        set_name: head.setName, set_area: head.setArea, set_id: head.setID,
        policy: acc.policy, value: policyRowValue(acc),
      });
    }
  }
  return rows;
}
