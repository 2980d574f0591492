import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { describeMonitorStoreContract, propertyRow, statRow, uniqueNamespace } from '../monitor-store.contract.ts';
import { InvalidNameError } from '../names.ts';
import { normalizeQuery, STAT_SPEC } from '../query.ts';
import { DuckDbBackend } from './duckdb-backend.ts';
import { openDuckDbStore } from '../open.ts';

const dir = mkdtempSync(join(tmpdir(), 'tars-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pathFor = (namespace: string) => join(dir, `${namespace}.duckdb`);

describeMonitorStoreContract('duckdb', (options) => openDuckDbStore({ ...options, path: pathFor(options.namespace), threads: 1 }));

describe('DuckDB store specifics', () => {
  it('keeps data in its file across close and reopen, one table per day named like the ES index', async () => {
    const namespace = uniqueNamespace('file');
    const path = pathFor(namespace);
    const first = await openDuckDbStore({ namespace, path });
    first.writeStat([statRow({ f_date: '20240101', succ_count: 3 }), statRow({ f_date: '20240102', succ_count: 4 })]);
    await first.close();

    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    const tables = (await conn.runAndReadAll(`SELECT table_name FROM duckdb_tables() ORDER BY 1`)).getRows().map((r) => r[0]);
    conn.closeSync();
    db.closeSync();
    expect(tables).toEqual([`${namespace}_compacted_`, `${namespace}_kevent_`, `${namespace}_notify_`, `${namespace}_stat_20240101`, `${namespace}_stat_20240102`]);

    const second = await openDuckDbStore({ namespace, path });
    const q = { date: '20240102', indexs: ['succ_count'], groupby: ['f_date', 'slave_name'] };
    expect([...(await second.queryStat(q)).entries()]).toEqual([['20240102,Test.HelloServer', [4]]]);
    await second.close();
  });

  it('compacts closed days in query order once, keeps their answers, and re-sorts after late rows', async () => {
    const namespace = uniqueNamespace('compact');
    const path = pathFor(namespace);
    const store = await openDuckDbStore({ namespace, path, utcOffsetMinutes: 0, threads: 1 });
    const rows = [];
    for (let m = 1; m <= 30; m++) {
      for (const server of ['Z.Server', 'A.Server', 'M.Server']) {
        rows.push(statRow({ f_tflag: `10${String(m).padStart(2, '0')}`, slave_name: server, succ_count: m, interface_name: m % 2 ? 'a' : 'b' }));
      }
    }
    store.writeStat(rows);
    store.writeStat([statRow({ f_date: '20240102' })]);
    await store.flush();
    const q = { date: '20240101', indexs: ['succ_count', 'total_count'], groupby: ['f_tflag', 'slave_name'], conditions: [{ field: 'slave_name', op: 5, val: 'M.Server' }] };
    const before = await store.queryStat(q);

    const nextDay = Date.UTC(2024, 0, 2, 3);
    const report = await store.applyRetention(nextDay);
    expect(report.compacted).toEqual([`${namespace}_stat_20240101`]);
    expect(await store.queryStat(q)).toEqual(before);
    expect((await store.applyRetention(nextDay)).compacted).toEqual([]);
    store.writeStat([statRow({ f_tflag: '1100', slave_name: 'B.Server' })]);
    await store.flush();
    expect((await store.applyRetention(nextDay)).compacted).toEqual([`${namespace}_stat_20240101`]);
    await store.close();

    // Physically clustered by callee now.
    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    const names = (await conn.runAndReadAll(`SELECT slave_name FROM "${namespace}_stat_20240101"`)).getRows().map((r) => String(r[0]));
    conn.closeSync();
    db.closeSync();
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(91);
  });

  it('compact() rewrites the tables written since the last compaction, today included', async () => {
    const store = await openDuckDbStore({ namespace: 'tars', path: ':memory:', compactIntervalMs: 0 });
    store.writeStat([statRow({ slave_name: 'Z' }), statRow({ slave_name: 'A' })]);
    store.writeProperty([propertyRow()]);
    await store.flush();
    expect(await store.compact()).toEqual(['tars_property_20240101', 'tars_stat_20240101']);
    expect(await store.compact()).toEqual([]);
    store.writeStat([statRow({ slave_name: 'B' })]);
    await store.flush();
    expect(await store.compact()).toEqual(['tars_stat_20240101']);
    expect((await store.queryStat({ date: '20240101', indexs: ['succ_count'], groupby: ['slave_name'] })).size).toBe(3);
    await store.close();
  });

  it('compacts on its timer', async () => {
    const store = await openDuckDbStore({ namespace: 'tars', path: ':memory:', compactIntervalMs: 20 });
    store.writeStat([statRow()]);
    await store.flush();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await store.compact()).toEqual([]);
    await store.close();
  });

  it('answers concurrent queries each with its own result', async () => {
    const store = await openDuckDbStore({ namespace: 'tars', path: ':memory:' });
    store.writeStat(Array.from({ length: 12 }, (_, i) => statRow({ slave_name: `S${i}`, succ_count: i + 1 })));
    await store.flush();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.queryStat({ date: '20240101', indexs: ['succ_count'], groupby: [], conditions: [{ field: 'slave_name', op: 0, val: `S${i}` }] }),
      ),
    );
    expect(answers.map((a) => a.get('')![0])).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    await store.close();
  });

  it('writes a batch atomically: a failure half-way leaves no row behind to be duplicated by the retry', async () => {
    const backend = await DuckDbBackend.open({ namespace: 'tars', path: ':memory:', compactIntervalMs: 0 });
    // Validation normally refuses this value; here it stands for any append failure (disk full, ...).
    const broken = [statRow({ f_date: '20240101' }), statRow({ f_date: '20240102', f_timestamp: 2 ** 40 })];
    await expect(backend.writeStat(broken)).rejects.toThrow();
    await backend.writeStat([statRow({ f_date: '20240101', succ_count: 1 })]);
    const q = normalizeQuery(STAT_SPEC, { date: '20240101', indexs: ['succ_count'], groupby: [] });
    expect((await backend.queryStat(q)).get('')).toEqual([1]);
    expect((await backend.queryStat({ ...q, date: '20240102' })).get('')).toEqual([0]);
    await backend.close();
  });

  it('works in memory', async () => {
    const store = await openDuckDbStore({ namespace: 'tars', path: ':memory:' });
    store.writeStat([statRow()]);
    await store.flush();
    expect((await store.queryStat({ date: '20240101', indexs: ['succ_count'], groupby: [] })).get('')).toEqual([10]);
    await store.close();
  });

  it('refuses a namespace that is not a DNS-1123 label before touching disk', async () => {
    await expect(openDuckDbStore({ namespace: '../etc', path: join(dir, 'x.duckdb') })).rejects.toThrow(InvalidNameError);
    await expect(openDuckDbStore({ namespace: 'Tars', path: ':memory:' })).rejects.toThrow(/DNS-1123/);
    await expect(openDuckDbStore({ namespace: 'tars', path: '' })).rejects.toThrow(/invalid DuckDB path/);
  });

  it('passes threads and memory limit to DuckDB, refusing malformed values', async () => {
    const store = await openDuckDbStore({ namespace: 'tars', path: ':memory:', threads: 1, memoryLimit: '256MB' });
    store.writeStat([statRow()]);
    await store.flush();
    expect((await store.queryStat({ date: '20240101', indexs: ['succ_count'], groupby: [] })).get('')).toEqual([10]);
    await store.close();
    await expect(openDuckDbStore({ namespace: 'tars', path: ':memory:', memoryLimit: "1GB'; DROP" })).rejects.toThrow(/memoryLimit/);
    await expect(openDuckDbStore({ namespace: 'tars', path: ':memory:', threads: 0 })).rejects.toThrow(/threads/);
  });

  it('accepts namespaces with dashes (quoted identifiers)', async () => {
    const store = await openDuckDbStore({ namespace: 'tars-dev-1', path: ':memory:' });
    store.writeStat([statRow()]);
    await store.flush();
    expect((await store.queryStat({ date: '20240101', indexs: ['succ_count'], groupby: ['f_tflag'] })).get('1005')).toEqual([10]);
    await store.close();
  });
});
