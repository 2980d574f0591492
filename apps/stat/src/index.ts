// @tars-ts/app-stat: what the standalone app and the benchmarks start in-process.
export { createStatService, startStatService, STAT_SERVANT, STAT_DEFAULT_ENDPOINT, type StatService, type StatServiceOptions, type RunningStatService } from './stat-service.ts';
export { StatAggregator, windowEndOf, type StatCounters, type StatWindow } from './stat-aggregator.ts';
