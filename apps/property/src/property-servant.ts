/** tars.tarsproperty.PropertyObj: PropertyF on the K8S edition's rules; returns 0 like upstream. */
import { PropertyF } from '@tars-ts/interfaces';
import type { Current, Logger } from '@tars-ts/rpc';
import type { PropertyAggregator } from './property-aggregator.ts';

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`. */
export function peerIpOf(remoteAddress: string): string {
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}

export class PropertyServant extends PropertyF.PropertyFServant {
  readonly #aggregator: PropertyAggregator;
  readonly #logger: Logger;
  readonly #clock: () => number;
  #lastProblemLog = -Infinity;

  constructor(aggregator: PropertyAggregator, logger: Logger, clock: () => number = Date.now) {
    super();
    this.#aggregator = aggregator;
    this.#logger = logger;
    this.#clock = clock;
  }

  reportPropMsg(current: Current, statmsg: Map<PropertyF.StatPropMsgHead, PropertyF.StatPropMsgBody>): number {
    const problems = this.#aggregator.add(statmsg, peerIpOf(current.remoteAddress), this.#clock());
    if (problems.length > 0 && Date.now() - this.#lastProblemLog >= 10_000) {
      this.#lastProblemLog = Date.now();
      this.#logger.warn(`reportPropMsg from ${current.remoteAddress}: dropped ${problems.length} values (${problems.slice(0, 3).join('; ')}); total so far ${this.#aggregator.counters.droppedInvalid}`);
    }
    return 0;
  }
}
