import type { Logger } from '../logging/logger.ts';

export type StopHook = () => void | Promise<void>;

/**
 * When a hook runs relative to the others: all `first` hooks, then `normal`, then `last`; within a
 * group in reverse registration order. The service host stops accepting calls `first` and closes
 * logs `last`, so an app's own hooks (`normal`) run while logging still works and no call arrives.
 */
export type StopOrder = 'first' | 'normal' | 'last';
const ORDERS: readonly StopOrder[] = ['first', 'normal', 'last'];

interface NamedHook {
  name: string;
  hook: StopHook;
}

export interface StopOutcome {
  /** 0 when every hook finished in time without error, else 1. */
  exitCode: number;
  failed: string[];
  /** The hook still running when the deadline passed. */
  timedOut?: string;
}

/**
 * Runs hooks one after another, in the order given, until all are done or `deadlineMs` has
 * passed. A failing hook is logged and the next one still runs; a hook that outlives the deadline
 * is abandoned (the caller is about to exit anyway).
 */
export async function runStopHooks(hooks: readonly NamedHook[], deadlineMs: number, logger?: Logger): Promise<StopOutcome> {
  const failed: string[] = [];
  let current: string | undefined;
  let timer: NodeJS.Timeout | undefined;

  const sequence = (async () => {
    for (const { name, hook } of hooks) {
      current = name;
      try {
        await hook();
        logger?.debug(`stopped ${name}`);
      } catch (e) {
        failed.push(name);
        logger?.error(`stop hook ${name} failed`, e);
      }
    }
    current = undefined;
    return 'done' as const;
  })();
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), deadlineMs);
  });

  const result = await Promise.race([sequence, deadline]);
  clearTimeout(timer);
  if (result === 'deadline') {
    logger?.error(`shutdown deadline of ${deadlineMs} ms passed while stopping ${current}`);
    return { exitCode: 1, failed, timedOut: current };
  }
  return { exitCode: failed.length > 0 ? 1 : 0, failed };
}

export interface ShutdownOptions {
  /** Time for all hooks together; default 8 s (tarsnode sends SIGKILL 10 s after asking to stop). */
  deadlineMs?: number;
  logger?: Logger;
  /** Called with the exit code once hooks are done; default `process.exit`. */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/**
 * Graceful shutdown: stop hooks registered while starting run in reverse order (what started last
 * stops first) on SIGTERM/SIGINT, on AdminF.shutdown, or when asked; the process exits with 0 when
 * all of them succeeded in time, 1 otherwise. A second signal exits at once.
 */
export class Shutdown {
  private readonly hooks: (NamedHook & { order: StopOrder })[] = [];
  private readonly deadlineMs: number;
  private readonly logger?: Logger;
  private readonly exit: (code: number) => void;
  private readonly signals: NodeJS.Signals[];
  private running: Promise<number> | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.running) {
      this.logger?.warn(`received ${signal} again while stopping; exiting now`);
      this.exit(1);
      return;
    }
    void this.shutdown(`signal ${signal}`);
  };

  constructor(options: ShutdownOptions = {}) {
    this.deadlineMs = options.deadlineMs ?? 8000;
    this.logger = options.logger;
    this.exit = options.exit ?? ((code) => process.exit(code));
    this.signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  }

  /** Registers a hook; returns a function that unregisters it. */
  onStop(name: string, hook: StopHook, order: StopOrder = 'normal'): () => void {
    const entry = { name, hook, order };
    this.hooks.push(entry);
    return () => {
      const i = this.hooks.indexOf(entry);
      if (i !== -1) this.hooks.splice(i, 1);
    };
  }

  get stopping(): boolean {
    return this.running !== undefined;
  }

  install(): this {
    for (const s of this.signals) process.on(s, this.onSignal);
    return this;
  }

  uninstall(): void {
    for (const s of this.signals) process.off(s, this.onSignal);
  }

  /** Stops everything and exits; later calls return the same outcome. */
  shutdown(reason: string): Promise<number> {
    this.running ??= (async () => {
      this.logger?.info(`shutting down (${reason})`);
      const reversed = [...this.hooks].reverse();
      const ordered = ORDERS.flatMap((order) => reversed.filter((h) => h.order === order));
      const outcome = await runStopHooks(ordered, this.deadlineMs, this.logger);
      this.logger?.info(`shutdown ${outcome.exitCode === 0 ? 'complete' : 'incomplete'}, exit code ${outcome.exitCode}`);
      this.exit(outcome.exitCode);
      return outcome.exitCode;
    })();
    return this.running;
  }
}
