// The supervisor's state machine as a pure function: (state, event) → (state, effects).
// Rules from framework-services.md §9.2 ("State machine"); the agent performs the effects.
// Deliberate change: launches back off exponentially (base → cap) instead of upstream's flat
// "at most one launch per 30 s", so a crash is retried at once and a crash loop slows down.

export type SettingState = 'Active' | 'Inactive';
export type PresentState = 'Inactive' | 'Activating' | 'Active' | 'Deactivating';
export type Target = 'start' | 'stop' | 'restart';

/** Why a server process ended (or never started). */
export type ExitReason = 'crash' | 'heartbeat-timeout' | 'stop' | 'restart' | 'spawn-failed';

export interface ExitRecord {
  app: string;
  server: string;
  /** The spawned process id; 0 when the process never started. */
  pid: number;
  code: number | null;
  signal: string | null;
  reason: ExitReason;
  /** Why spawning failed (spawn-failed only). */
  error?: string;
  startedAt: number;
  exitedAt: number;
  runtimeMs: number;
  /** Delay before the next launch; undefined when none follows (stopped). */
  restartInMs?: number;
}

export interface SupervisorOptions {
  app: string;
  server: string;
  /** First retry delay after a failed run. */
  backoffBaseMs: number;
  /** Longest retry delay (upstream's LAUNCH_SERVER_INTERVAL_TIME is 30 s). */
  backoffMaxMs: number;
  /** A run at least this long is healthy: the failure count starts over. */
  stableAfterMs: number;
  /** After the graceful shutdown request, SIGKILL follows this much later (upstream 10 s). */
  stopGraceMs: number;
  /** If the process still lives this long after SIGKILL, the agent gives up (upstream 3 s). */
  killGraceMs: number;
  /** Unconditional re-report of the state (upstream UPDATE_STATE_INTERVAL 420 s). */
  reportIntervalMs: number;
  /**
   * Foreground daemon (LauncherType foreground): the server is started by someone else (it is the
   * container's PID 1). Never launch or stop it; heartbeat overtime only alarms.
   */
  observe?: boolean;
}

export interface SupervisorState {
  setting: SettingState;
  present: PresentState;
  target: Target;
  /** A launch effect was emitted and its outcome (launched/launchFailed) is pending. */
  launching: boolean;
  /** The running process (spawned pid), undefined when none runs. */
  pid: number | undefined;
  /** The pid the server reports in keepAlive (may differ when the command is a wrapper). */
  reportedPid: number;
  startedAt: number;
  heartTimeoutMs: number;
  /** Last heartbeat per adapter name (ms). */
  heartbeats: Record<string, number>;
  /** Consecutive failed runs, for the backoff. */
  failures: number;
  nextLaunchAt: number;
  /** Why the current stop was started (recorded when the process exits). */
  stopReason: ExitReason | undefined;
  stopStartedAt: number;
  killSentAt: number | undefined;
  lastReportAt: number;
  launches: number;
}

export type SupervisorEvent =
  | { type: 'tick'; now: number }
  /** heartTimeoutMs 0: the server sends no heartbeats (no deadline; Active once running). */
  | { type: 'launched'; now: number; pid: number; heartTimeoutMs: number; adapters: readonly string[] }
  | { type: 'launchFailed'; now: number; error: string; spawned: boolean }
  | { type: 'exited'; now: number; pid: number; code: number | null; signal: string | null }
  | { type: 'keepAlive'; now: number; adapter: string; pid: number }
  | { type: 'keepActiving'; now: number; pid: number }
  | { type: 'start'; now: number }
  | { type: 'stop'; now: number }
  | { type: 'restart'; now: number };

export type SupervisorEffect =
  | { type: 'launch' }
  | { type: 'shutdown'; pid: number }
  | { type: 'kill'; pid: number }
  | { type: 'report'; setting: SettingState; present: PresentState; pid: number }
  | { type: 'notify'; message: string }
  | { type: 'exitRecord'; record: ExitRecord }
  /** The process survived SIGKILL: upstream tarsnode exits(-1) so the container restarts. */
  | { type: 'giveUp'; pid: number; message: string }
  /** The server is down and will stay down (target stop reached). */
  | { type: 'stopped' };

export interface Step {
  state: SupervisorState;
  effects: SupervisorEffect[];
}

export function initialState(): SupervisorState {
  return {
    setting: 'Active',
    present: 'Inactive',
    target: 'start',
    launching: false,
    pid: undefined,
    reportedPid: 0,
    startedAt: 0,
    heartTimeoutMs: 60_000,
    heartbeats: {},
    failures: 0,
    nextLaunchAt: 0,
    stopReason: undefined,
    stopStartedAt: 0,
    killSentAt: undefined,
    lastReportAt: 0,
    launches: 0,
  };
}

/** Retry delay after `failures` consecutive failed runs: base, 2·base, 4·base … capped. */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}

export function step(opts: SupervisorOptions, prev: SupervisorState, event: SupervisorEvent): Step {
  const s: SupervisorState = { ...prev, heartbeats: { ...prev.heartbeats } };
  const effects: SupervisorEffect[] = [];
  const now = event.now;
  const report = (): void => {
    s.lastReportAt = now;
    effects.push({ type: 'report', setting: s.setting, present: s.present, pid: s.reportedPid || (s.pid ?? 0) });
  };
  const setPresent = (present: PresentState): void => {
    if (s.present === present) return;
    s.present = present;
    report();
  };
  const beginStop = (reason: ExitReason): void => {
    if (s.pid === undefined || s.present === 'Deactivating') return;
    s.stopReason = reason;
    s.stopStartedAt = now;
    s.killSentAt = undefined;
    setPresent('Deactivating');
    effects.push({ type: 'shutdown', pid: s.pid });
  };
  const maybeLaunch = (): void => {
    if (opts.observe) return;
    if (s.target !== 'start' || s.launching || s.pid !== undefined || now < s.nextLaunchAt) return;
    s.launching = true;
    s.launches++;
    effects.push({ type: 'launch' });
  };
  const settleDown = (): void => {
    // No process and none coming: the stop (or restart) is complete.
    if (s.target === 'restart') {
      s.target = 'start';
      s.failures = 0;
      s.nextLaunchAt = now;
      maybeLaunch();
    } else if (s.target === 'stop') {
      effects.push({ type: 'stopped' });
    }
  };

  switch (event.type) {
    case 'tick': {
      if (s.target === 'start' && s.pid !== undefined && s.present !== 'Deactivating' && s.heartTimeoutMs > 0) {
        const overdue = Object.entries(s.heartbeats).find(([, at]) => at + s.heartTimeoutMs < now);
        if (overdue && opts.observe) {
          // Not ours to restart: alarm once per timeout period.
          effects.push({ type: 'notify', message: `[alarm] heartbeat overtime (adapter ${overdue[0]}, pid ${s.pid})` });
          s.heartbeats[overdue[0]] = now;
        } else if (overdue) {
          effects.push({ type: 'notify', message: `[alarm] heartbeat overtime, will restart process (adapter ${overdue[0]}, pid ${s.pid})` });
          // Target stays 'start': the exit counts as a failed run, so a server that hangs again and
          // again backs off like a crashing one.
          beginStop('heartbeat-timeout');
        }
      }
      if (s.present === 'Deactivating' && s.pid !== undefined) {
        if (s.killSentAt === undefined && now >= s.stopStartedAt + opts.stopGraceMs) {
          s.killSentAt = now;
          effects.push({ type: 'kill', pid: s.pid });
        } else if (s.killSentAt !== undefined && now >= s.killSentAt + opts.killGraceMs) {
          effects.push({ type: 'giveUp', pid: s.pid, message: `[alarm] server pid ${s.pid} survived SIGKILL for ${opts.killGraceMs} ms` });
          s.killSentAt = Number.POSITIVE_INFINITY; // give up once
        }
      }
      maybeLaunch();
      if (now - s.lastReportAt >= opts.reportIntervalMs) report();
      break;
    }
    case 'launched': {
      s.launching = false;
      s.pid = event.pid;
      s.reportedPid = event.pid;
      s.startedAt = now;
      s.heartTimeoutMs = event.heartTimeoutMs;
      s.heartbeats = {};
      for (const name of event.adapters) s.heartbeats[name] = now;
      s.present = 'Inactive';
      setPresent('Activating');
      // Without heartbeats (heartTimeoutMs 0) running is all we can know: Active at once.
      if (s.heartTimeoutMs <= 0) setPresent('Active');
      if (s.target !== 'start') beginStop(s.target === 'stop' ? 'stop' : 'restart');
      break;
    }
    case 'launchFailed': {
      s.launching = false;
      if (event.spawned) {
        s.failures++;
        const restartInMs = s.target === 'start' ? backoffDelay(s.failures, opts.backoffBaseMs, opts.backoffMaxMs) : undefined;
        effects.push({
          type: 'exitRecord',
          record: {
            app: opts.app, server: opts.server, pid: 0, code: null, signal: null, reason: 'spawn-failed', error: event.error,
            startedAt: now, exitedAt: now, runtimeMs: 0, restartInMs,
          },
        });
        effects.push({ type: 'notify', message: `[alarm] server failed to start: ${event.error}` });
      } else {
        // Nothing was spawned (no descriptor, config not rendered): alarm and retry, nothing exited.
        s.failures++;
        effects.push({ type: 'notify', message: `[alarm] ${event.error}` });
      }
      s.nextLaunchAt = now + backoffDelay(s.failures, opts.backoffBaseMs, opts.backoffMaxMs);
      settleDown();
      break;
    }
    case 'exited': {
      if (event.pid !== s.pid) break;
      const runtimeMs = now - s.startedAt;
      const requested = s.present === 'Deactivating' ? s.stopReason : undefined;
      const reason: ExitReason = requested ?? 'crash';
      if (reason === 'crash' || reason === 'heartbeat-timeout') {
        s.failures = runtimeMs >= opts.stableAfterMs ? 1 : s.failures + 1;
        s.nextLaunchAt = now + backoffDelay(s.failures, opts.backoffBaseMs, opts.backoffMaxMs);
      }
      const willRestart = s.target !== 'stop';
      const restartInMs = !willRestart ? undefined : s.target === 'restart' ? 0 : Math.max(0, s.nextLaunchAt - now);
      effects.push({
        type: 'exitRecord',
        record: {
          app: opts.app, server: opts.server, pid: event.pid, code: event.code, signal: event.signal, reason,
          startedAt: s.startedAt, exitedAt: now, runtimeMs, restartInMs,
        },
      });
      if (reason !== 'stop' && reason !== 'restart') {
        const how = event.signal ? `signal ${event.signal}` : `code ${event.code}`;
        effects.push({ type: 'notify', message: `[alarm] server exit with ${how}` });
      }
      s.pid = undefined;
      s.reportedPid = 0;
      s.heartbeats = {};
      s.stopReason = undefined;
      s.killSentAt = undefined;
      if (s.target === 'stop') s.setting = 'Inactive';
      setPresent('Inactive');
      settleDown();
      break;
    }
    case 'keepAlive':
    case 'keepActiving': {
      if (s.pid === undefined || s.present === 'Deactivating') break;
      if (event.pid > 0) s.reportedPid = event.pid;
      const adapter = event.type === 'keepAlive' ? event.adapter : '';
      if (adapter === '') for (const name of Object.keys(s.heartbeats)) s.heartbeats[name] = now;
      else s.heartbeats[adapter] = now;
      if (s.target === 'start') setPresent(event.type === 'keepAlive' ? 'Active' : 'Activating');
      break;
    }
    case 'start': {
      const changed = s.setting !== 'Active';
      s.setting = 'Active';
      if (s.target === 'stop') {
        s.target = 'start';
        s.failures = 0;
        s.nextLaunchAt = now;
      }
      // A start during a restart's stop keeps the restart; the launch follows the exit.
      if (changed) report();
      maybeLaunch();
      break;
    }
    case 'stop': {
      const changed = s.setting !== 'Inactive';
      if (opts.observe) {
        // The server is not ours to stop: only the agent goes away.
        s.target = 'stop';
        s.setting = 'Inactive';
        if (changed) report();
        effects.push({ type: 'stopped' });
        break;
      }
      s.target = 'stop';
      s.setting = 'Inactive';
      if (s.pid !== undefined) {
        beginStop('stop');
        if (changed && s.present === 'Deactivating' && effects.length === 0) report();
      } else {
        if (changed) report();
        // While a launch is pending, 'stopped' follows its outcome.
        if (!s.launching) effects.push({ type: 'stopped' });
      }
      break;
    }
    case 'restart': {
      if (opts.observe) break;
      s.setting = 'Active';
      if (s.pid !== undefined) {
        s.target = 'restart';
        beginStop('restart');
      } else if (!s.launching) {
        s.target = 'start';
        s.failures = 0;
        s.nextLaunchAt = now;
        maybeLaunch();
      } else {
        s.target = 'restart';
      }
      break;
    }
  }
  return { state: s, effects };
}
