/**
 * Writes finished property windows to the store: `WindowFlusher` (@tars-ts/monitoring) does the
 * timing (just after each minute boundary, the open window on `stop()`), chunking and counting;
 * `propertyRows` turns a window into rows.
 */
import { WindowFlusher } from '@tars-ts/monitoring';
import type { Logger } from '@tars-ts/rpc';
import type { MonitorStore, PropertyRow } from '@tars-ts/storage';
import { propertyRows, type PropertyAggregator, type PropertyWindow } from './property-aggregator.ts';

export interface PropertyFlusherOptions {
  aggregator: PropertyAggregator;
  store: Pick<MonitorStore, 'writeProperty' | 'flush'>;
  logger: Logger;
  clock?: () => number;
  utcOffsetMinutes?: number;
  graceMs?: number;
}

export class PropertyFlusher extends WindowFlusher<PropertyWindow, PropertyRow> {
  constructor(o: PropertyFlusherOptions) {
    super({
      kind: 'property',
      windows: o.aggregator,
      rowsOf: (w, timestamp) => propertyRows(w, timestamp, o.utcOffsetMinutes),
      write: (rows) => o.store.writeProperty(rows),
      flush: () => o.store.flush(),
      logger: o.logger,
      clock: o.clock,
      graceMs: o.graceMs,
    });
  }
}
