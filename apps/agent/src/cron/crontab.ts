// crontab.config: one job per line, `<6-field spec> <command>` (or `@descriptor <command>`),
// `#` comments and blank lines ignored. The images have no shell, so the log cleanup is built in:
//   tars-agent-clean --dir DIR --name PATTERN [--name PATTERN...] --days N
// and the upstream chart's lines `find DIR -type f -name 'PAT' -mtime +N -delete` are recognised
// as the same built-in. Anything else runs with /bin/sh -c, if the image has one.
import { CronSpecError, parseSchedule, type Schedule } from './schedule.ts';

export interface CleanCommand {
  dir: string;
  names: string[];
  /** Files whose age in whole days (find's -mtime) is more than this are deleted. */
  days: number;
}

export type Command = { kind: 'clean'; clean: CleanCommand } | { kind: 'shell'; line: string };

export interface Job {
  /** 1-based line of crontab.config. */
  line: number;
  spec: string;
  schedule: Schedule;
  command: Command;
  text: string;
}

export interface CrontabProblem {
  line: number;
  text: string;
  error: string;
}

/** Splits a command line into words: whitespace, single and double quotes, backslash escapes. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (inWord) words.push(cur);
  return words;
}

const DAYS = /^\d{1,5}$/;

function checkClean(c: CleanCommand): CleanCommand {
  if (!c.dir.startsWith('/')) throw new Error(`directory ${JSON.stringify(c.dir)} must be absolute`);
  if (c.dir.includes('\0')) throw new Error('directory contains NUL');
  if (c.names.length === 0) throw new Error('no --name pattern');
  for (const n of c.names) if (n === '' || n.includes('/') || n.includes('\0')) throw new Error(`name pattern ${JSON.stringify(n)} must be a file name pattern (no "/")`);
  return c;
}

/** `tars-agent-clean --dir D --name P [--name P] --days N`. */
function parseClean(words: string[]): CleanCommand {
  let dir: string | undefined;
  let days: number | undefined;
  const names: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const flag = words[i]!;
    const arg = words[i + 1];
    if (arg === undefined) throw new Error(`${flag} needs a value`);
    i++;
    if (flag === '--dir') dir = arg;
    else if (flag === '--name') names.push(arg);
    else if (flag === '--days') {
      if (!DAYS.test(arg)) throw new Error(`--days ${JSON.stringify(arg)} is not a number of days`);
      days = Number(arg);
    } else throw new Error(`unknown option ${JSON.stringify(flag)} (expected --dir, --name, --days)`);
  }
  if (dir === undefined) throw new Error('--dir is missing');
  if (days === undefined) throw new Error('--days is missing');
  return checkClean({ dir, names, days });
}

/** Exactly `find DIR -type f -name PAT -mtime +N -delete` (predicates in any order), else undefined. */
function parseFind(words: string[]): CleanCommand | undefined {
  if (words[0] !== 'find' || words.length !== 9) return undefined;
  const dir = words[1]!;
  let type: string | undefined;
  let name: string | undefined;
  let mtime: string | undefined;
  let del = false;
  for (let i = 2; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-delete') del = true;
    else if (w === '-type') type = words[++i];
    else if (w === '-name') name = words[++i];
    else if (w === '-mtime') mtime = words[++i];
    else return undefined;
  }
  const m = /^\+(\d{1,5})$/.exec(mtime ?? '');
  if (!del || type !== 'f' || name === undefined || !m) return undefined;
  return checkClean({ dir, names: [name], days: Number(m[1]) });
}

function parseCommand(text: string): Command {
  let words: string[];
  try {
    words = splitWords(text);
  } catch {
    return { kind: 'shell', line: text };
  }
  if (words[0] === 'tars-agent-clean') return { kind: 'clean', clean: parseClean(words) };
  const find = parseFind(words);
  if (find) return { kind: 'clean', clean: find };
  return { kind: 'shell', line: text };
}

/** Parses crontab.config. A bad line is reported and skipped; the others still run. */
export function parseCrontab(text: string): { jobs: Job[]; problems: CrontabProblem[] } {
  const jobs: Job[] = [];
  const problems: CrontabProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const words = trimmed.split(/\s+/);
    const specWords = words[0]!.startsWith('@') ? (words[0] === '@every' ? 2 : 1) : 6;
    if (words.length <= specWords) {
      problems.push({ line, text: trimmed, error: 'no command after the schedule' });
      return;
    }
    // Re-cut the original text so the command keeps its own spacing and quotes.
    const cut = trimmed.match(new RegExp(`^(\\S+(?:\\s+\\S+){${specWords - 1}})\\s+(.*)$`))!;
    const spec = cut[1]!;
    try {
      jobs.push({ line, spec, schedule: parseSchedule(spec), command: parseCommand(cut[2]!), text: trimmed });
    } catch (e) {
      problems.push({ line, text: trimmed, error: e instanceof CronSpecError ? `schedule: ${e.message}` : (e as Error).message });
    }
  });
  return { jobs, problems };
}
