import type { BenchOptions, BenchRow, BenchSuite } from './types.ts';

/** Runs every scenario of a suite (optionally filtered by name substring), reporting rows as they come. */
export async function runSuite(suite: BenchSuite, opts: BenchOptions, onRow: (row: BenchRow) => void, filter?: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await suite.setup?.();
  try {
    for (const s of suite.scenarios) {
      if (filter && !s.name.includes(filter)) continue;
      for (const row of await s.run(opts)) {
        rows.push(row);
        onRow(row);
      }
    }
  } finally {
    await suite.teardown?.();
  }
  return rows;
}
