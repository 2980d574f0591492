// What loadConfig answers, from the TConfig versions of one (app, server, configName): the
// activated master (podSeq "m"), followed by the activated override of the caller's pod if there
// is one, joined by "\r\n\r\n" (framework-services §7.3). Objects on their way out (labels
// tars.io/Deleting or tars.io/Deactivate, or a deletionTimestamp) are not served.
import { Label, MASTER_POD_SEQ, type TConfig } from '@tars-ts/api';

export const MERGE_SEPARATOR = '\r\n\r\n';

export type MergeResult = { ok: true; content: string } | { ok: false; reason: string };

/** Whether a TConfig is served at all. */
export function isServed(tc: TConfig): boolean {
  if (tc.activated === false) return false;
  const labels = tc.metadata.labels;
  if (labels && (labels[Label.Deleting] !== undefined || labels[Label.Deactivate] !== undefined)) return false;
  return !tc.metadata.deletionTimestamp;
}

/** podSeq as written, defaulting to the master. */
export function podSeqOfConfig(tc: TConfig): string {
  return tc.podSeq || MASTER_POD_SEQ;
}

/**
 * The content for a caller whose pod ordinal is `seq` (-1: unknown, master only). `versions` are
 * all TConfigs of the file; `what` names it in the error.
 */
export function mergeConfig(versions: readonly TConfig[], seq: number, what: string): MergeResult {
  const master = newest(versions.filter((tc) => isServed(tc) && podSeqOfConfig(tc) === MASTER_POD_SEQ));
  if (!master) return { ok: false, reason: `config ${what} does not exist or is not activated` };
  if (seq < 0) return { ok: true, content: master.configContent };
  const own = String(seq);
  const slave = newest(versions.filter((tc) => isServed(tc) && podSeqOfConfig(tc) === own));
  if (!slave) return { ok: true, content: master.configContent };
  return { ok: true, content: joinParts(master.configContent, slave.configContent) };
}

/** Upstream's mergeConfig: parts joined by the separator, empty parts skipped. */
export function joinParts(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(MERGE_SEPARATOR);
}

/**
 * Only one version per podSeq should be activated (the webhook deactivates the previous one),
 * but in the moment of a switch two can be: serve the most recent.
 */
function newest(candidates: TConfig[]): TConfig | undefined {
  let best: TConfig | undefined;
  for (const tc of candidates) if (!best || recency(tc) > recency(best)) best = tc;
  return best;
}

function recency(tc: TConfig): string {
  // ISO timestamps compare as strings; the name breaks ties so the choice is stable
  return `${tc.updateTime ?? tc.metadata.creationTimestamp ?? ''}\u0000${tc.metadata.name ?? ''}`;
}

/** Sorted, distinct config names served for (app, server) at master level (what ListConfig answers). */
export function listNames(versions: Iterable<TConfig>): string[] {
  const names = new Set<string>();
  for (const tc of versions) if (isServed(tc) && podSeqOfConfig(tc) === MASTER_POD_SEQ) names.add(tc.configName);
  return [...names].sort();
}
