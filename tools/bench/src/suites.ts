// Registry of benchmark suites. Each entry lazily imports a module exporting `suite: BenchSuite`,
// so one suite's heavy dependencies load only when it runs. Add a line per new suite.
import type { BenchSuite } from './types.ts';

export const suites: Record<string, () => Promise<BenchSuite>> = {
  codec: async () => (await import('./suites/codec.ts')).suite,
  rpc: async () => (await import('./suites/rpc.ts')).suite,
  query: async () => (await import('./suites/query.ts')).suite,
  registry: async () => (await import('./suites/registry.ts')).suite,
  stat: async () => (await import('./suites/stat.ts')).suite,
  controller: async () => (await import('./suites/controller.ts')).suite,
};
