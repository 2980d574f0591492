// Kubernetes label selector strings (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) parsed once and
// matched in process: the embedded store filters with them and informer caches reuse them.

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: readonly string[] }
  | { key: string; op: 'exists' | '!exists' };

export interface LabelSelector {
  readonly source: string;
  readonly requirements: readonly Requirement[];
  matches(labels: Record<string, string> | undefined): boolean;
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, source: string): string {
  if (!KEY.test(key) || key.length > 317) throw new Error(`invalid label selector ${JSON.stringify(source)}: bad key ${JSON.stringify(key)}`);
  return key;
}

function checkValue(value: string, source: string): string {
  if (!VALUE.test(value) || value.length > 63) throw new Error(`invalid label selector ${JSON.stringify(source)}: bad value ${JSON.stringify(value)}`);
  return value;
}

/** Splits on commas that are not inside a `( … )` value list. */
function splitTerms(source: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(source.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(source.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

function parseTerm(term: string, source: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
  if (set) {
    const values = set[3].split(',').map((v) => checkValue(v.trim(), source));
    return { key: checkKey(set[1], source), op: set[2] as 'in' | 'notin', values };
  }
  const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (cmp) {
    const key = checkKey(cmp[1], source);
    const value = checkValue(cmp[3], source);
    return { key, op: cmp[2] === '!=' ? 'notin' : 'in', values: [value] };
  }
  if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim(), source), op: '!exists' };
  return { key: checkKey(term, source), op: 'exists' };
}

function matchOne(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case 'in':
      return has && r.values.includes(labels[r.key]);
    case 'notin':
      return !has || !r.values.includes(labels[r.key]);
  }
}

export function parseLabelSelector(source: string): LabelSelector {
  const requirements = splitTerms(source).map((t) => parseTerm(t, source));
  return {
    source,
    requirements,
    matches: (labels) => requirements.every((r) => matchOne(r, labels ?? {})),
  };
}

/** `{a: 'b', c: 'd'}` → `a=b,c=d` (equality-based selector of a label map). */
export function selectorFromLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * Field selectors: only `metadata.name` and `metadata.namespace` (the fields Kubernetes supports
 * for every kind, custom resources included) with `=`, `==` or `!=`.
 */
export interface FieldSelector {
  readonly source: string;
  matches(obj: { metadata: { name?: string; namespace?: string } }): boolean;
}

export function parseFieldSelector(source: string): FieldSelector {
  const terms = splitTerms(source).map((term) => {
    const m = /^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (!m) throw new Error(`unsupported field selector ${JSON.stringify(term)}: only metadata.name and metadata.namespace with =, ==, != are supported`);
    return { field: m[1] === 'metadata.name' ? ('name' as const) : ('namespace' as const), negate: m[2] === '!=', value: m[3] };
  });
  return {
    source,
    matches: (obj) => terms.every((t) => ((obj.metadata[t.field] ?? '') === t.value) !== t.negate),
  };
}
