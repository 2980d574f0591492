export type { BenchOptions, BenchRow, BenchSuite, Scenario } from './types.ts';
export { compare, consume, measure, measureAsync, measureInterleaved, median, type Clock, type Measurement } from './measure.ts';
export { suites } from './suites.ts';
export { runSuite } from './run.ts';
