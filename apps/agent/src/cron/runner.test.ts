// The cron runner with real timers on every-second schedules, real files and a real /bin/sh
// (the dev machine has one; the images do not, which the "missing shell" case covers).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ServiceLogger } from '@tars-ts/service';
import { CronRunner } from './runner.ts';

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('CronRunner', () => {
  let dir: string;
  let runner: CronRunner | undefined;
  let log: string;
  let logger: ServiceLogger;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-cron-'));
    log = '';
    const stream = new PassThrough();
    stream.on('data', (d) => (log += d));
    logger = new ServiceLogger({ level: 'DEBUG', stream });
  });
  afterEach(async () => {
    await runner?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the built-in cleanup and shell lines on schedule', async () => {
    const old = join(dir, 'old.log');
    writeFileSync(old, 'x');
    const tenDays = new Date(Date.now() - 10 * 86_400_000);
    utimesSync(old, tenDays, tenDays);
    const out = join(dir, 'out');
    runner = new CronRunner({ logger });
    runner.start([
      `* * * * * * tars-agent-clean --dir ${dir} --name '*.log' --days 5`,
      `* * * * * * echo tick >> ${out}`,
    ].join('\n'));
    await waitFor(() => !existsSync(old) && existsSync(out) && readFileSync(out, 'utf8').split('\n').length >= 3, 10_000);
    expect(readFileSync(out, 'utf8')).toMatch(/^tick\ntick\n/);
    expect(runner.runs.get(1)?.ok).toBeGreaterThan(0);
    expect(log).toContain('cron: line 1: deleted 1 file(s)');
  });

  it('says clearly that a shell line cannot run without a shell, and keeps the other jobs', async () => {
    runner = new CronRunner({ logger, shell: join(dir, 'no-such-sh') });
    runner.start(['0 0 3 * * * echo hello', '0 0 3 * * echo hi', '@every 1s tars-agent-clean --dir /nonexistent --name x --days 1'].join('\n'), 'crontab.config');
    expect(log).toContain('no-such-sh is not in this image, so this line cannot run; use the built-in "tars-agent-clean');
    expect(log).toContain('cron: crontab.config:2: schedule: day of week: "echo" is not a number');
    expect(log).toContain('cron: 2 job(s) from crontab.config, 1 line(s) refused');
    await waitFor(() => (runner!.runs.get(3)?.ok ?? 0) > 0, 5000);
    // The 03:00 job is armed for the next 03:00.
    const next = new Date(runner.nextTimes().get(1)!);
    expect([next.getHours(), next.getMinutes(), next.getSeconds()]).toEqual([3, 0, 0]);
  });

  it('a missing crontab file is a warning, not a crash', () => {
    runner = new CronRunner({ logger });
    runner.startFile(join(dir, 'crontab.config'));
    expect(log).toContain('does not exist; no jobs');
  });

  it('stop() ends a running shell command', async () => {
    runner = new CronRunner({ logger });
    const started = join(dir, 'started');
    runner.start(`* * * * * * touch ${started}; sleep 30`);
    await waitFor(() => existsSync(started), 5000);
    const t = Date.now();
    await runner.stop();
    expect(Date.now() - t).toBeLessThan(5000);
    expect(log).toMatch(/killed by SIGTERM|exit 143/);
  });
});
