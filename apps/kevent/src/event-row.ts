/**
 * One Kubernetes event → one KEventRow: identity `uid:resourceVersion` (each version of an event
 * is its own document, as upstream), the event without `metadata`, and the event's own time.
 */
import type { ClusterEvent } from '@tars-ts/cluster';
import type { KEventRow } from '@tars-ts/storage';

/** The most recent time the event states; falls back to `nowMs` for events that carry none. */
export function eventTimeSeconds(event: ClusterEvent, nowMs: number): number {
  const candidates = [event.lastTimestamp, event.eventTime, event.firstTimestamp, event.metadata.creationTimestamp];
  for (const c of candidates) {
    if (typeof c !== 'string' || c === '') continue;
    const ms = Date.parse(c);
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  return Math.floor(nowMs / 1000);
}

/** Undefined for an event without uid or resourceVersion (cannot be deduplicated, so not stored). */
export function toKEventRow(event: ClusterEvent, nowMs = Date.now()): KEventRow | undefined {
  const uid = event.metadata?.uid;
  const resourceVersion = event.metadata?.resourceVersion;
  if (!uid || !resourceVersion) return undefined;
  const { metadata: _metadata, ...rest } = event;
  return { uid, resourceVersion, timestamp: eventTimeSeconds(event, nowMs), event: rest as Record<string, unknown> };
}

/** Events in `default` are forwarded only when they are about cluster-scoped objects (Nodes, ...). */
export function isClusterScoped(event: ClusterEvent): boolean {
  return !event.involvedObject?.namespace;
}
