/** One printed/JSON line: our figure next to the peer's, in the same unit. */
export interface BenchRow {
  name: string;
  ours: number;
  /** null when there is no peer to compare with (e.g. a raw baseline). */
  peer: number | null;
  unit: string;
  /** How much better ours is (> 1 = ours better), whatever the unit's direction; null without peer. */
  ratio: number | null;
  /** The goal this row is checked against, in words (e.g. "ratio >= 30"). */
  target?: string;
  pass?: boolean;
}

export interface BenchOptions {
  /** Timed rounds per measurement (median is reported). */
  rounds: number;
  /** Minimum duration of one round, ms. */
  roundMs: number;
  /** Warm-up before timing, ms. */
  warmupMs: number;
}

/** A named measurement; may yield several rows (e.g. sizes plus a scaling row). */
export interface Scenario {
  name: string;
  run(opts: BenchOptions): Promise<BenchRow[]> | BenchRow[];
}

/** What each suite module exports as `suite`. */
export interface BenchSuite {
  name: string;
  description: string;
  scenarios: Scenario[];
  /** Optional setup/teardown (servers, sockets, temp dirs). */
  setup?(): Promise<void> | void;
  teardown?(): Promise<void> | void;
}
