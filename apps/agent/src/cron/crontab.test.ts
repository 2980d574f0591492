import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globToRegExp, runClean } from './clean.ts';
import { parseCrontab, splitWords } from './crontab.ts';

describe('parseCrontab', () => {
  it('reads the upstream chart lines as the built-in cleanup', () => {
    const { jobs, problems } = parseCrontab([
      '# daily cleanup',
      "0 0 3 * * * find /usr/local/app/tars/app_log/ -type f -name '*.log' -mtime +5 -delete",
      '',
      "0 0 3 * * * find /usr/local/app/tars/app_log/ -type f -name 'core.*' -mtime +5 -delete",
    ].join('\n'));
    expect(problems).toEqual([]);
    expect(jobs.map((j) => [j.line, j.spec, j.command])).toEqual([
      [2, '0 0 3 * * *', { kind: 'clean', clean: { dir: '/usr/local/app/tars/app_log/', names: ['*.log'], days: 5 } }],
      [4, '0 0 3 * * *', { kind: 'clean', clean: { dir: '/usr/local/app/tars/app_log/', names: ['core.*'], days: 5 } }],
    ]);
  });

  it('reads the built-in command, shell lines and descriptors; reports bad lines and keeps the rest', () => {
    const { jobs, problems } = parseCrontab([
      "0 0 3 * * * tars-agent-clean --dir /var/log/x --name '*.log' --name 'core.*' --days 7",
      '@every 10m echo "a  b" > /tmp/x',
      '0 0 3 * * * find /x -type f -name a -mtime 5 -delete',
      '0 0 3 * *',
      '0 0 25 * * * echo bad hour',
      '0 0 3 * * * tars-agent-clean --dir relative --name x --days 1',
      '0 0 3 * * * tars-agent-clean --dir /x --name a/b --days 1',
      '0 0 3 * * * tars-agent-clean --dir /x --name a --days soon',
      '0 0 3 * * * tars-agent-clean --dir /x --days 1',
    ].join('\n'));
    expect(jobs.map((j) => j.command)).toEqual([
      { kind: 'clean', clean: { dir: '/var/log/x', names: ['*.log', 'core.*'], days: 7 } },
      { kind: 'shell', line: 'echo "a  b" > /tmp/x' },
      // Not the exact find shape (-mtime 5 is "exactly 5 days"): left to the shell.
      { kind: 'shell', line: 'find /x -type f -name a -mtime 5 -delete' },
    ]);
    expect(problems.map((p) => [p.line, p.error])).toEqual([
      [4, 'no command after the schedule'],
      [5, 'schedule: hour: 25 is outside 0-23'],
      [6, 'directory "relative" must be absolute'],
      [7, 'name pattern "a/b" must be a file name pattern (no "/")'],
      [8, '--days "soon" is not a number of days'],
      [9, 'no --name pattern'],
    ]);
  });

  it('splits words like a shell would for simple quoting', () => {
    expect(splitWords(`a 'b c' "d \\" e" f\\ g`)).toEqual(['a', 'b c', 'd " e', 'f g']);
    expect(() => splitWords(`a 'b`)).toThrow('unterminated');
  });
});

describe('globToRegExp', () => {
  it.each([
    ['*.log', 'a.log', true],
    ['*.log', 'a.log.1', false],
    ['core.*', 'core.123', true],
    ['core.*', 'xcore.1', false],
    ['?.txt', 'a.txt', true],
    ['?.txt', 'ab.txt', false],
    ['[ab]*', 'bx', true],
    ['[!ab]*', 'bx', false],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['x(1)', 'x(1)', true],
  ])('%s ~ %s = %s', (pattern, name, matches) => {
    expect(globToRegExp(pattern).test(name)).toBe(matches);
  });
});

describe('runClean', () => {
  let dir: string;
  const now = Date.parse('2026-11-24T03:00:00Z');
  const age = (days: number) => new Date(now - days * 86_400_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-clean-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function file(rel: string, ageDays: number): string {
    const path = join(dir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'x');
    utimesSync(path, age(ageDays), age(ageDays));
    return path;
  }

  it('deletes matching regular files older than N whole days (find -mtime +N), recursively', async () => {
    const old = file('tars/pod-0/app.log', 6.1);
    const oldCore = file('tars/pod-0/core.1234', 9);
    const fiveAndAHalf = file('tars/pod-0/recent.log', 5.5); // 5 whole days: -mtime +5 keeps it
    const otherName = file('tars/pod-0/app.txt', 30);
    const outside = mkdtempSync(join(tmpdir(), 'agent-clean-outside-'));
    try {
      writeFileSync(join(outside, 'victim.log'), 'x');
      utimesSync(join(outside, 'victim.log'), age(30), age(30));
      symlinkSync(outside, join(dir, 'tars', 'linked-dir'));
      symlinkSync(join(outside, 'victim.log'), join(dir, 'tars', 'link.log'));
      const r = await runClean({ dir, names: ['*.log', 'core.*'], days: 5 }, now);
      expect(r.errors).toEqual([]);
      expect(r.deleted.sort()).toEqual([old, oldCore].sort());
      expect([existsSync(old), existsSync(oldCore), existsSync(fiveAndAHalf), existsSync(otherName)]).toEqual([false, false, true, true]);
      expect(existsSync(join(outside, 'victim.log'))).toBe(true);
      expect(lstatSync(join(dir, 'tars', 'link.log')).isSymbolicLink()).toBe(true);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a missing directory is no error', async () => {
    expect(await runClean({ dir: join(dir, 'none'), names: ['*'], days: 0 }, now)).toEqual({ deleted: [], errors: [] });
  });
});
