// Runs the jobs of crontab.config on their schedules. Timers wake at most every minute and
// compare against the wall clock, so a clock change or a long suspend does not derail them. A job
// whose previous run is still going is skipped (logged) rather than started twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Logger } from '@tars-ts/service';
import { runClean } from './clean.ts';
import { parseCrontab, type Job } from './crontab.ts';
import { nextFire } from './schedule.ts';

export const DEFAULT_CRONTAB = '/etc/tarsagent/crontab.config';
const MAX_SLEEP_MS = 60_000;
/** A shell job still running after this is killed. */
const SHELL_TIMEOUT_MS = 3600_000;

export interface CronRunnerOptions {
  logger: Logger;
  /** The shell for non-built-in lines; default /bin/sh. */
  shell?: string;
  now?: () => number;
}

interface Scheduled {
  job: Job;
  next?: number;
  running: boolean;
  timer?: NodeJS.Timeout;
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}

export class CronRunner {
  private readonly o: CronRunnerOptions;
  private readonly scheduled: Scheduled[] = [];
  private readonly children = new Set<ChildProcess>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  /** Finished runs by job line, for metrics and tests. */
  readonly runs = new Map<number, { ok: number; failed: number }>();

  constructor(options: CronRunnerOptions) {
    this.o = options;
  }

  private get shell(): string {
    return this.o.shell ?? '/bin/sh';
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** Reads and starts a crontab file; a missing file means no jobs (logged). */
  startFile(path: string = DEFAULT_CRONTAB): void {
    if (!existsSync(path)) {
      this.o.logger.warn(`cron: ${path} does not exist; no jobs`);
      return;
    }
    this.start(readFileSync(path, 'utf8'), path);
  }

  start(text: string, source = 'crontab'): void {
    const { jobs, problems } = parseCrontab(text);
    for (const p of problems) this.o.logger.error(`cron: ${source}:${p.line}: ${p.error}: ${p.text}`);
    for (const job of jobs) {
      if (job.command.kind === 'shell' && !existsSync(this.shell)) {
        this.o.logger.error(`cron: ${source}:${job.line}: ${this.shell} is not in this image, so this line cannot run; use the built-in "tars-agent-clean --dir DIR --name PATTERN --days N": ${job.text}`);
      }
      const s: Scheduled = { job, running: false };
      this.scheduled.push(s);
      this.arm(s, this.now());
    }
    this.o.logger.info(`cron: ${jobs.length} job(s) from ${source}${problems.length ? `, ${problems.length} line(s) refused` : ''}`);
  }

  /** Next fire time per job line (tests, logs). */
  nextTimes(): Map<number, number | undefined> {
    return new Map(this.scheduled.map((s) => [s.job.line, s.next]));
  }

  private arm(s: Scheduled, after: number): void {
    if (this.stopped) return;
    s.next = nextFire(s.job.schedule, after);
    if (s.next === undefined) {
      this.o.logger.warn(`cron: line ${s.job.line} never fires: ${s.job.spec}`);
      return;
    }
    this.sleep(s);
  }

  private sleep(s: Scheduled): void {
    const wait = Math.max(0, Math.min(s.next! - this.now(), MAX_SLEEP_MS));
    s.timer = setTimeout(() => this.wake(s), wait);
  }

  private wake(s: Scheduled): void {
    if (this.stopped) return;
    const now = this.now();
    if (now < s.next!) return this.sleep(s);
    const due = s.next!;
    if (s.running) this.o.logger.warn(`cron: line ${s.job.line} is still running; skipping the run due at ${new Date(due).toISOString()}`);
    else {
      const run = this.execute(s).finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }
    // From the later of the due time and now: a late wake-up runs once, not once per missed slot.
    this.arm(s, Math.max(due, now));
  }

  private count(line: number, ok: boolean): void {
    const r = this.runs.get(line) ?? { ok: 0, failed: 0 };
    if (ok) r.ok++;
    else r.failed++;
    this.runs.set(line, r);
  }

  private async execute(s: Scheduled): Promise<void> {
    s.running = true;
    const { job } = s;
    try {
      if (job.command.kind === 'clean') {
        const r = await runClean(job.command.clean, this.now());
        this.o.logger.info(`cron: line ${job.line}: deleted ${r.deleted.length} file(s) under ${job.command.clean.dir}${r.errors.length ? `; ${r.errors.length} error(s): ${r.errors.slice(0, 5).join('; ')}` : ''}`);
        this.count(job.line, r.errors.length === 0);
      } else {
        const ok = await this.runShell(job);
        this.count(job.line, ok);
      }
    } catch (e) {
      this.o.logger.error(`cron: line ${job.line} failed: ${(e as Error).message}`);
      this.count(job.line, false);
    } finally {
      s.running = false;
    }
  }

  private runShell(job: Job): Promise<boolean> {
    const line = (job.command as { line: string }).line;
    if (!existsSync(this.shell)) {
      this.o.logger.error(`cron: line ${job.line}: cannot run ${JSON.stringify(line)}: ${this.shell} is not in this image`);
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      // Own process group: stopping the job must also stop what the shell started.
      const child = spawn(this.shell, ['-c', line], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      this.children.add(child);
      const timer = setTimeout(() => {
        this.o.logger.error(`cron: line ${job.line}: still running after ${SHELL_TIMEOUT_MS / 1000} s; killing it`);
        killGroup(child);
      }, SHELL_TIMEOUT_MS);
      let output = '';
      const keep = (d: Buffer) => {
        if (output.length < 4096) output += d.toString();
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      child.on('error', (e) => {
        clearTimeout(timer);
        this.children.delete(child);
        this.o.logger.error(`cron: line ${job.line}: ${e.message}`);
        resolve(false);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        this.children.delete(child);
        const ok = code === 0;
        const status = signal ? `killed by ${signal}` : `exit ${code}`;
        const text = output.trim() ? `: ${output.trim().slice(0, 4096)}` : '';
        if (ok) this.o.logger.info(`cron: line ${job.line}: ${status}${text}`);
        else this.o.logger.error(`cron: line ${job.line}: ${status}${text}`);
        resolve(ok);
      });
    });
  }

  /** Stops the timers, terminates running commands and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.scheduled) clearTimeout(s.timer);
    for (const c of this.children) killGroup(c);
    await Promise.allSettled([...this.inFlight]);
  }
}
