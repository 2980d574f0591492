// A 6-field cron spec with seconds (`sec min hour dom month dow`), as upstream's agent read it
// (robfig/cron with seconds): `*`, `?`, numbers, `a-b`, lists, `/step`, month and weekday names,
// weekday 7 = Sunday, and the descriptors @yearly @monthly @weekly @daily @hourly @every <dur>.
// Day-of-month and day-of-week combine as in Vixie cron: if either is `*`, both must match,
// otherwise either may. Times are local (the agent mounts the node's /etc/localtime).

export type Schedule =
  | { kind: 'fields'; seconds: Set<number>; minutes: Set<number>; hours: Set<number>; dom: Set<number>; months: Set<number>; dow: Set<number>; domStar: boolean; dowStar: boolean }
  | { kind: 'every'; ms: number };

export class CronSpecError extends Error {}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesFrom?: number;
}

const FIELDS: FieldDef[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

function value(text: string, def: FieldDef): number {
  const named = def.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (def.namesFrom ?? 0);
  if (!/^\d+$/.test(text)) throw new CronSpecError(`${def.name}: ${JSON.stringify(text)} is not a number`);
  const n = Number(text);
  if (n < def.min || n > def.max) throw new CronSpecError(`${def.name}: ${n} is outside ${def.min}-${def.max}`);
  return n;
}

function field(text: string, def: FieldDef): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw new CronSpecError(`${def.name}: ${JSON.stringify(part)} is malformed`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[1-9]\d*$/.test(stepText)) throw new CronSpecError(`${def.name}: step ${JSON.stringify(stepText)} is not a positive number`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      [lo, hi] = [def.min, def.max];
      if (stepText === undefined) star = true;
    } else if (range!.includes('-')) {
      const [a, b, more] = range!.split('-');
      if (more !== undefined) throw new CronSpecError(`${def.name}: ${JSON.stringify(range)} is malformed`);
      [lo, hi] = [value(a!, def), value(b!, def)];
      if (lo > hi) throw new CronSpecError(`${def.name}: range ${range} runs backwards`);
    } else {
      lo = value(range!, def);
      // `5/10` means 5, 15, 25, ... (robfig: from 5 to the maximum).
      hi = stepText === undefined ? lo : def.max;
    }
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

function duration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    end = re.lastIndex;
  }
  if (end !== text.length || text === '') throw new CronSpecError(`@every: ${JSON.stringify(text)} is not a duration like 1h30m or 10s`);
  if (total < 1000) throw new CronSpecError(`@every: ${JSON.stringify(text)} is shorter than a second`);
  return total;
}

/** Parses the schedule part of a crontab line (6 fields, or one descriptor). */
export function parseSchedule(spec: string): Schedule {
  const text = spec.trim();
  if (text.startsWith('@every ')) return { kind: 'every', ms: duration(text.slice(7).trim()) };
  const expanded = DESCRIPTORS[text.toLowerCase()] ?? text;
  if (expanded.startsWith('@')) throw new CronSpecError(`unknown descriptor ${JSON.stringify(text)}`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 6) throw new CronSpecError(`expected 6 fields (second minute hour day-of-month month day-of-week), got ${parts.length}`);
  const f = parts.map((p, i) => field(p, FIELDS[i]!));
  const dow = new Set([...f[5]!.set].map((d) => d % 7));
  return { kind: 'fields', seconds: f[0]!.set, minutes: f[1]!.set, hours: f[2]!.set, dom: f[3]!.set, months: f[4]!.set, dow, domStar: f[3]!.star, dowStar: f[5]!.star };
}

function dayMatches(s: Extract<Schedule, { kind: 'fields' }>, t: Date): boolean {
  const dom = s.dom.has(t.getDate());
  const dow = s.dow.has(t.getDay());
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}

/**
 * The first time strictly after `after` (ms) at which the schedule fires, or undefined when none
 * within five years (e.g. 30 February). Local times skipped by a DST change do not fire.
 */
export function nextFire(s: Schedule, after: number): number | undefined {
  if (s.kind === 'every') return after + s.ms;
  const t = new Date(Math.floor(after / 1000) * 1000 + 1000);
  const limit = t.getFullYear() + 5;
  // Every step moves forward; the step cap only guards against a calendar surprise.
  for (let steps = 0; t.getFullYear() <= limit && steps < 200_000; steps++) {
    if (!s.months.has(t.getMonth() + 1)) {
      t.setMonth(t.getMonth() + 1, 1);
      t.setHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(s, t)) {
      t.setDate(t.getDate() + 1);
      t.setHours(0, 0, 0, 0);
      continue;
    }
    if (!s.hours.has(t.getHours())) {
      const hour = t.getHours();
      t.setHours(hour + 1, 0, 0, 0);
      // DST fall-back repeats an hour: setHours can land on the same wall-clock hour again.
      if (t.getHours() === hour) t.setTime(t.getTime() + 3600_000);
      continue;
    }
    if (!s.minutes.has(t.getMinutes())) {
      t.setMinutes(t.getMinutes() + 1, 0, 0);
      continue;
    }
    if (!s.seconds.has(t.getSeconds())) {
      t.setSeconds(t.getSeconds() + 1, 0);
      continue;
    }
    return t.getTime();
  }
  return undefined;
}
