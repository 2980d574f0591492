// Shared timing: warm up, calibrate a batch size, time several rounds, report the median.
// Synchronous work is timed in CPU time of this process by default: on a shared machine the
// wall clock also counts time spent waiting for a core, which is noise, not cost.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BenchOptions } from './types.ts';

// A full GC before each timed round, so a round pays for its own garbage and not for what the
// previous round (possibly the other side of a comparison) left behind.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

export type Clock = 'cpu' | 'wall';

export interface Measurement {
  /** Median operations per second over the timed rounds. */
  opsPerSec: number;
  /** Median microseconds per operation. */
  usPerOp: number;
  /** ops/s of every round, in the order run (spread = noise). */
  rounds: number[];
}

// Results land here so the JIT cannot discard the work being timed.
let sink: unknown;
export function consume(v: unknown): void {
  sink = v;
}
export function lastSink(): unknown {
  return sink;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function nowMs(clock: Clock): number {
  if (clock === 'wall') return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timeBatch(fn: () => unknown, n: number, clock: Clock): number {
  collect();
  const t0 = nowMs(clock);
  for (let i = 0; i < n; i++) sink = fn();
  return nowMs(clock) - t0;
}

// Warm-up doubles the batch until the warm-up time is spent; it also calibrates the batch size.
function calibrate(fn: () => unknown, opts: BenchOptions, clock: Clock): number {
  let batch = 1;
  let spent = 0;
  let msPerOp = Infinity;
  while (spent < opts.warmupMs || !Number.isFinite(msPerOp)) {
    const ms = timeBatch(fn, batch, clock);
    spent += ms;
    if (ms > 0) msPerOp = ms / batch;
    if (ms < opts.warmupMs / 4) batch *= 2;
  }
  return Math.max(1, Math.ceil(opts.roundMs / msPerOp));
}

function result(rounds: number[]): Measurement {
  const opsPerSec = median(rounds);
  return { opsPerSec, usPerOp: 1e6 / opsPerSec, rounds };
}

/** Measures one synchronous operation. */
export function measure(fn: () => unknown, opts: BenchOptions, clock: Clock = 'cpu'): Measurement {
  const perRound = calibrate(fn, opts, clock);
  const rounds: number[] = [];
  for (let r = 0; r < opts.rounds; r++) rounds.push((perRound * 1000) / timeBatch(fn, perRound, clock));
  return result(rounds);
}

/**
 * Measures several operations in alternating rounds (round r of each, then round r + 1 of
 * each...), so that all of them see the same machine conditions; returns one measurement each.
 */
export function measureInterleaved<K extends string>(fns: Record<K, () => unknown>, opts: BenchOptions, clock: Clock = 'cpu'): Record<K, Measurement> {
  const keys = Object.keys(fns) as K[];
  const batch = {} as Record<K, number>;
  for (const k of keys) batch[k] = calibrate(fns[k], opts, clock);
  const rounds = {} as Record<K, number[]>;
  for (const k of keys) rounds[k] = [];
  for (let r = 0; r < opts.rounds; r++) {
    for (const k of keys) rounds[k].push((batch[k] * 1000) / timeBatch(fns[k], batch[k], clock));
  }
  const out = {} as Record<K, Measurement>;
  for (const k of keys) out[k] = result(rounds[k]);
  return out;
}

/** Ours and the peer's version of the same operation, in alternating rounds. */
export function compare(ours: () => unknown, peer: () => unknown, opts: BenchOptions, clock: Clock = 'cpu'): { ours: Measurement; peer: Measurement } {
  return measureInterleaved({ ours, peer }, opts, clock);
}

/** Measures an asynchronous operation (wall clock: I/O waits are part of the cost). */
export async function measureAsync(fn: () => Promise<unknown>, opts: BenchOptions): Promise<Measurement> {
  const batchOf = async (n: number) => {
    collect();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink = await fn();
    return performance.now() - t0;
  };
  let batch = 1;
  let spent = 0;
  let msPerOp = Infinity;
  while (spent < opts.warmupMs || !Number.isFinite(msPerOp)) {
    const ms = await batchOf(batch);
    spent += ms;
    if (ms > 0) msPerOp = ms / batch;
    if (ms < opts.warmupMs / 4) batch *= 2;
  }
  const perRound = Math.max(1, Math.ceil(opts.roundMs / msPerOp));
  const rounds: number[] = [];
  for (let r = 0; r < opts.rounds; r++) rounds.push((perRound * 1000) / (await batchOf(perRound)));
  return result(rounds);
}

/**
 * For load run by callbacks (clients with calls in flight): waits `warmupMs`, then measures a
 * window of `ms`, telling `counting` when it opens and closes. Returns its wall time (ms) and the
 * CPU time this process used in it (µs: user + system, and system alone).
 */
export async function loadWindow(warmupMs: number, ms: number, counting: (on: boolean) => void): Promise<{ ms: number; cpuUs: number; sysUs: number }> {
  await new Promise((r) => setTimeout(r, warmupMs));
  counting(true);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, ms));
  counting(false);
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuUs: cpu.user + cpu.system, sysUs: cpu.system };
}
