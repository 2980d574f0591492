// Query suite: tarsweb-shaped MonitorQuery requests against the DuckDB monitoring store holding
// a day of minute stat data for 1,000 servers (written through the store's own ingest path,
// which is measured too). Reports p50/p95 latency per query shape, first with the rows in
// arrival order (the worst case: a day never compacted), then after compaction (rows clustered
// by callee; the store does this hourly for the live day and once more for a closed day);
// target p95 < 200 ms.
//
// Peer: upstream answers MonitorQuery from Elasticsearch SQL (or MySQL in the native edition),
// and neither can run on this machine (shared/reference/infra.md §3). The compacted rows
// therefore compare against the naive plan instead: the same request over the same rows in
// arrival order (the uncompacted measurement of the same run).
//
// Size: BENCH_QUERY_SERVERS (default 1000) x 1440 minutes x BENCH_QUERY_INTERFACES (default 3)
// rows; --quick uses 100 servers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbStore, timeLabels, QueryOp, type MonitorQuery, type MonitorStore, type StatRow } from '@tars-ts/storage';
import type { BenchOptions, BenchRow, BenchSuite, Scenario } from '../types.ts';

const DATE = '20240101';
const DAY_START_MS = Date.UTC(2024, 0, 1);
const INTERFACES = Number(process.env.BENCH_QUERY_INTERFACES ?? 3);
const P95_TARGET_MS = 200;

let dir = '';
let store: MonitorStore | undefined;
let servers = 0;
let ingest: { rows: number; ms: number } | undefined;

const serverName = (s: number) => `App${s % 40}.Server${s}`;

/** One minute of stat rows: every server, every interface, called by one of 20 callers. */
function minuteRows(minute: number, out: StatRow[]): void {
  const { f_date, f_tflag } = timeLabels(DAY_START_MS + (minute + 1) * 60_000, 0);
  const ts = DAY_START_MS / 1000 + (minute + 1) * 60;
  for (let s = 0; s < servers; s++) {
    for (let i = 0; i < INTERFACES; i++) {
      const succ = 50 + ((s * 7 + minute + i) % 100);
      out.push({
        source_id: '10.0.0.1',
        f_timestamp: ts,
        f_date,
        f_tflag,
        master_name: `Caller.Server${(s + i) % 20}`,
        slave_name: serverName(s),
        interface_name: `method${i}`,
        tars_version: '3.0.16',
        master_ip: `10.1.${(s + i) % 20}.1`,
        slave_ip: `10.2.${s >> 8}.${s & 255}`,
        slave_port: 10000 + i,
        return_value: 0,
        succ_count: succ,
        timeout_count: minute % 17 === 0 ? 1 : 0,
        exce_count: (s + minute) % 29 === 0 ? 2 : 0,
        total_time: succ * (3 + (s % 11)),
        interv_count: `5|${succ},10|0,50|0,100|0,200|0,500|0,1000|0,2000|0,3000|0`,
        maxrsp_time: 3 + (s % 11) * 2,
        minrsp_time: 1 + (s % 3),
      });
    }
  }
}

async function setup(quick: boolean): Promise<void> {
  servers = quick ? 100 : Number(process.env.BENCH_QUERY_SERVERS ?? 1000);
  dir = mkdtempSync(join(tmpdir(), 'bench-query-'));
  store = await openDuckDbStore({
    namespace: 'bench',
    path: join(dir, 'monitor.duckdb'),
    buffer: { capacity: 2_000_000, batchSize: 50_000 },
    compactIntervalMs: 0, // compaction is measured as its own scenario
  });
  let rows = 0;
  let ms = 0;
  for (let minute = 0; minute < 1440; minute += 10) {
    const batch: StatRow[] = [];
    for (let m = minute; m < minute + 10; m++) minuteRows(m, batch);
    // Only the store's work is timed, not building the rows.
    const t0 = performance.now();
    rows += store.writeStat(batch);
    await store.flush();
    ms += performance.now() - t0;
  }
  ingest = { rows, ms };
}

const statIndexes = ['succ_count', 'timeout_count', 'exce_count', 'total_time'];
const like = (field: string, val: string) => ({ field, op: QueryOp.LIKE, val });

/** The requests TarsWeb's stat monitor page sends (MonitorStatService.js), for server `s`. */
const SHAPES: { name: string; query: (s: number) => MonitorQuery }[] = [
  {
    name: 'minute chart of one server',
    query: (s) => ({ date: DATE, tflag1: '0000', tflag2: '2360', conditions: [like('slave_name', serverName(s))], indexs: statIndexes, groupby: ['f_tflag'] }),
  },
  {
    name: 'one server by interface',
    query: (s) => ({ date: DATE, tflag1: '0000', tflag2: '2360', conditions: [like('slave_name', serverName(s))], indexs: statIndexes, groupby: ['f_date', 'interface_name'] }),
  },
  {
    name: 'one server by caller, 2 h window',
    query: (s) => ({ date: DATE, tflag1: '1000', tflag2: '1160', conditions: [like('slave_name', serverName(s))], indexs: statIndexes, groupby: ['f_date', 'master_name'] }),
  },
  {
    name: 'one interface by callee ip',
    query: (s) => ({
      date: DATE,
      tflag1: '0000',
      tflag2: '2360',
      conditions: [like('slave_name', serverName(s)), like('interface_name', 'method1')],
      indexs: statIndexes,
      groupby: ['f_date', 'slave_ip'],
    }),
  },
  {
    name: 'minute chart of one caller (all callees)',
    query: (s) => ({ date: DATE, tflag1: '0000', tflag2: '2360', conditions: [like('master_name', `Caller.Server${s % 20}`)], indexs: statIndexes, groupby: ['f_tflag'] }),
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Uncompacted p50/p95 per shape: the "peer" (naive plan) of the compacted rows. */
const uncompacted = new Map<string, { p50: number; p95: number }>();

function shapeScenario(shape: (typeof SHAPES)[number], day: 'uncompacted' | 'compacted'): Scenario {
  return {
    name: `query (${day} day): ${shape.name}`,
    async run(opts: BenchOptions): Promise<BenchRow[]> {
      const iterations = Math.max(20, opts.rounds * 6);
      const times: number[] = [];
      let keys = 0;
      for (let i = -3; i < iterations; i++) {
        const s = Math.abs((i * 7919 + 13) % servers);
        const t0 = performance.now();
        const result = await store!.queryStat(shape.query(s));
        const ms = performance.now() - t0;
        if (i >= 0) times.push(ms);
        keys = result.size;
        if (keys === 0) throw new Error(`query "${shape.name}" found no data`);
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      const p95 = percentile(times, 95);
      const target = { target: `p95 < ${P95_TARGET_MS} ms`, pass: p95 < P95_TARGET_MS };
      if (day === 'uncompacted') {
        uncompacted.set(shape.name, { p50, p95 });
        return [
          { name: `uncompacted: ${shape.name} p50 (${keys} keys)`, ours: p50, peer: null, unit: 'ms', ratio: null },
          { name: `uncompacted: ${shape.name} p95`, ours: p95, peer: null, unit: 'ms', ratio: null, ...target },
        ];
      }
      // Peer = the same request over the same rows in arrival order (the naive plan).
      const naive = uncompacted.get(shape.name);
      const vs = (ours: number, peer: number | undefined) => ({ ours, peer: peer ?? null, ratio: peer === undefined ? null : peer / ours });
      return [
        { name: `compacted: ${shape.name} p50 (${keys} keys)`, ...vs(p50, naive?.p50), unit: 'ms' },
        { name: `compacted: ${shape.name} p95`, ...vs(p95, naive?.p95), unit: 'ms', ...target },
      ];
    },
  };
}

const ingestScenario: Scenario = {
  name: 'ingest',
  run: () => [
    {
      name: `stat rows ingested (${ingest!.rows.toLocaleString('en-US')} rows: validate, buffer, append)`,
      ours: ingest!.rows / (ingest!.ms / 1000),
      peer: null,
      unit: 'rows/s',
      ratio: null,
    },
  ],
};

/** Rewrites the day in query order (what the hourly compaction does). */
const compactScenario: Scenario = {
  name: 'compaction',
  async run() {
    const t0 = performance.now();
    const compacted = await store!.compact();
    const ms = performance.now() - t0;
    if (compacted.length !== 1) throw new Error(`expected one compacted table, got ${compacted.join(', ')}`);
    return [{ name: `compact the day (${ingest!.rows.toLocaleString('en-US')} rows)`, ours: ms, peer: null, unit: 'ms', ratio: null }];
  },
};

export const suite: BenchSuite = {
  name: 'query',
  description: `MonitorQuery on DuckDB, a day of minute stat data (servers x 1440 min x ${INTERFACES} interfaces); peer = same query on rows in arrival order (upstream's Elasticsearch cannot run here)`,
  scenarios: [
    ingestScenario,
    ...SHAPES.map((shape) => shapeScenario(shape, 'uncompacted')),
    compactScenario,
    ...SHAPES.map((shape) => shapeScenario(shape, 'compacted')),
  ],
  setup: () => setup(process.argv.includes('--quick')),
  async teardown() {
    await store?.close();
    store = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};
