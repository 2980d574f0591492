// Fixtures for tests and benchmarks (not for production code): import from '@tars-ts/codec/testing'.
export * from './stat-structs.ts';
export { codeDroppedAfter } from './deopt-trace.ts';
