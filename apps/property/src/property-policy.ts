/**
 * The per-policy merge of PropertyHashMap (framework-services.md §4.3, same code in the K8S
 * edition) and what each policy writes (§4.4). Values arrive as strings.
 *
 * - Sum, Count: add. Max: max. Min: plain min (a reported 0 wins, as upstream).
 * - Avg: upstream keeps `"sum=n"`, each plain report counting 1; written as sum / n.
 * - Distr: `"r1|c1,r2|c2,..."`, counts added position by position, first labels kept;
 *   written as 0, as the K8S edition does (the row has one number; the histogram is not stored).
 * - Another policy name: added like Sum.
 *
 * Numbers are doubles (upstream parses Sum/Count/Max/Min as `long long`, cutting decimals that
 * Node clients do send).
 */

export interface PolicyValue {
  readonly policy: string;
  /** Sum/Count/other: the sum; Max/Min: the extreme; Avg: the sum of reported values. */
  value: number;
  /** Avg: number of reports merged. */
  n: number;
  /** Distr: bucket labels and counts. */
  labels?: string[];
  counts?: number[];
}

export class PolicyValueError extends Error {
  override name = 'PolicyValueError';
}

function parseNumber(policy: string, raw: string): number {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new PolicyValueError(`${policy} value ${JSON.stringify(raw)} is not a number`);
  return v;
}

function parseDistr(raw: string): { labels: string[]; counts: number[] } {
  const labels: string[] = [];
  const counts: number[] = [];
  for (const part of raw.split(',')) {
    const bar = part.indexOf('|');
    const count = bar < 0 ? NaN : Number(part.slice(bar + 1));
    if (bar < 0 || !Number.isFinite(count) || part.slice(bar + 1).trim() === '') throw new PolicyValueError(`Distr value ${JSON.stringify(raw)}: expected "range|count,..."`);
    labels.push(part.slice(0, bar));
    counts.push(count);
  }
  return { labels, counts };
}

/** A new accumulator from one reported value; throws PolicyValueError when it does not parse. */
export function startPolicy(policy: string, raw: string): PolicyValue {
  if (policy === 'Distr') return { policy, value: 0, n: 1, ...parseDistr(raw) };
  if (policy === 'Avg') {
    // "sum=n" is how upstream stores a merged average; accept it as input too.
    const eq = raw.indexOf('=');
    if (eq >= 0) return { policy, value: parseNumber(policy, raw.slice(0, eq)), n: parseNumber(policy, raw.slice(eq + 1)) };
  }
  return { policy, value: parseNumber(policy, raw), n: 1 };
}

/** Merges one more reported value into `acc` (validated first: a bad value changes nothing). */
export function mergePolicy(acc: PolicyValue, raw: string): void {
  const next = startPolicy(acc.policy, raw);
  switch (acc.policy) {
    case 'Max':
      if (next.value > acc.value) acc.value = next.value;
      break;
    case 'Min':
      if (next.value < acc.value) acc.value = next.value;
      break;
    case 'Avg':
      acc.value += next.value;
      acc.n += next.n;
      break;
    case 'Distr': {
      const counts = acc.counts!;
      for (let i = 0; i < next.counts!.length; i++) {
        if (i < counts.length) counts[i] += next.counts![i];
        else {
          counts.push(next.counts![i]);
          acc.labels!.push(next.labels![i]);
        }
      }
      break;
    }
    default:
      acc.value += next.value;
  }
}

/** The number a row carries for this policy. */
export function policyRowValue(acc: PolicyValue): number {
  if (acc.policy === 'Avg') return acc.n > 0 ? acc.value / acc.n : 0;
  if (acc.policy === 'Distr') return 0;
  return acc.value;
}

/** `"r1|c1,..."` of a Distr accumulator (kept for logs and tests). */
export function formatDistr(acc: PolicyValue): string {
  return (acc.labels ?? []).map((l, i) => `${l}|${acc.counts![i]}`).join(',');
}
