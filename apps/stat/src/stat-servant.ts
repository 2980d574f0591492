/**
 * tars.tarsstat.StatObj: StatF on the K8S edition's rules. Thin: the map arrives as a StatBatch
 * (stat-batch.ts) and goes to the aggregator with the caller's IP. Both methods return 0, as
 * upstream does.
 */
import { Servant, type Current, type Logger } from '@tars-ts/rpc';
import type { StatF } from '@tars-ts/interfaces';
import { StatFBatchDescriptor, type StatBatch } from './stat-batch.ts';
import type { StatAggregator } from './stat-aggregator.ts';
import { peerIpOf } from './stat-rules.ts';

export class StatServant extends Servant {
  static readonly descriptor = StatFBatchDescriptor;
  readonly #aggregator: StatAggregator;
  readonly #clock: () => number;
  readonly #logger: Logger;
  #lastInvalidLog = -Infinity;

  constructor(aggregator: StatAggregator, logger: Logger, clock: () => number = Date.now) {
    super();
    this.#aggregator = aggregator;
    this.#logger = logger;
    this.#clock = clock;
  }

  reportMicMsg(current: Current, msg: StatBatch, bFromClient: boolean): number {
    const invalidBefore = this.#aggregator.counters.droppedInvalid;
    this.#aggregator.add(msg, bFromClient, peerIpOf(current.remoteAddress), this.#clock());
    const invalid = this.#aggregator.counters.droppedInvalid - invalidBefore;
    if (invalid > 0) this.#warnInvalid(current, invalid);
    return 0;
  }

  // Upstream K8S: accepted and ignored.
  reportSampleMsg(_current: Current, _msg: StatF.StatSampleMsg[]): number {
    return 0;
  }

  #warnInvalid(current: Current, invalid: number): void {
    const now = Date.now();
    if (now - this.#lastInvalidLog < 10_000) return;
    this.#lastInvalidLog = now;
    this.#logger.warn(`reportMicMsg from ${current.remoteAddress}: dropped ${invalid} entries with negative numbers (total so far ${this.#aggregator.counters.droppedInvalid})`);
  }
}
