/**
 * The exact requests the Elasticsearch backend sends, through the real @elastic/elasticsearch
 * client. The other end is `recording-server.ts`: it RECORDS REQUESTS AND ANSWERS WITH CANNED,
 * REALISTIC RESPONSE SHAPES — IT IS NOT AN ELASTICSEARCH and evaluates nothing. Behaviour
 * against a real cluster is covered by the contract suite when TARS_ES_URL is set.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keventRow, notifyRow, propertyRow, statRow } from '../monitor-store.contract.ts';
import { openElasticsearchStore } from '../open.ts';
import { QueryOp } from '../query.ts';
import type { MonitorStore, StoreOptions } from '../store.ts';
import { bulkSuccess, ndjson, startRecordingServer, type RecordedRequest, type RecordingServer } from './recording-server.ts';

let server: RecordingServer;
let store: MonitorStore | undefined;

beforeEach(async () => {
  server = await startRecordingServer();
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await server.close();
});

const fastRetry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

async function open(options: Partial<StoreOptions> & { setup?: boolean } = {}): Promise<MonitorStore> {
  store = await openElasticsearchStore({ node: server.url, namespace: 'tars', utcOffsetMinutes: 0, buffer: { retry: fastRetry }, ...options });
  return store;
}

/** Requests after setup, as `METHOD url`. */
const calls = () => server.requests.map((r) => `${r.method} ${r.url}`);
const json = (r: RecordedRequest) => JSON.parse(r.body) as unknown;
const only = (pathPart: string) => server.requests.filter((r) => r.url.includes(pathPart));

describe('setup: ILM policies and index templates', () => {
  it('puts a delete policy and a template for each kind, with upstream names and our mappings', async () => {
    await open({ retentionDays: { stat: 15, property: 10, notify: 3, kevent: 2 } });
    expect(calls()).toEqual([
      'PUT /_ilm/policy/tars_stat_',
      'PUT /_index_template/tars_stat_',
      'PUT /_ilm/policy/tars_property_',
      'PUT /_index_template/tars_property_',
      'PUT /_ilm/policy/tars_notify_',
      'PUT /_index_template/tars_notify_',
      'PUT /_ilm/policy/tars_kevent_',
      'PUT /_index_template/tars_kevent_',
    ]);
    const [statPolicy, statTemplate, propertyPolicy, , , notifyTemplate, keventPolicy] = server.requests;
    expect(json(statPolicy!)).toEqual({ policy: { phases: { delete: { min_age: '15d', actions: { delete: {} } } } } });
    expect(json(propertyPolicy!)).toEqual({ policy: { phases: { delete: { min_age: '10d', actions: { delete: {} } } } } });
    expect(json(keventPolicy!)).toEqual({ policy: { phases: { delete: { min_age: '2d', actions: { delete: {} } } } } });
    expect(json(statTemplate!)).toEqual({
      index_patterns: ['tars_stat_*'],
      template: {
        settings: { 'index.lifecycle.name': 'tars_stat_' },
        mappings: {
          properties: {
            source_id: { type: 'keyword' },
            f_timestamp: { type: 'date', format: 'epoch_second' },
            f_date: { type: 'keyword' },
            f_tflag: { type: 'keyword' },
            master_name: { type: 'keyword' },
            slave_name: { type: 'keyword' },
            interface_name: { type: 'keyword' },
            tars_version: { type: 'keyword' },
            master_ip: { type: 'keyword' },
            slave_ip: { type: 'keyword' },
            slave_port: { type: 'integer' },
            return_value: { type: 'integer' },
            succ_count: { type: 'long' },
            timeout_count: { type: 'long' },
            exce_count: { type: 'long' },
            total_count: { type: 'long' },
            total_time: { type: 'long' },
            interv_count: { type: 'keyword', index: false },
            ave_time: { type: 'long' },
            maxrsp_time: { type: 'long' },
            minrsp_time: { type: 'long' },
          },
        },
      },
    });
    expect(json(notifyTemplate!)).toEqual({
      index_patterns: ['tars_notify_'],
      data_stream: {},
      template: {
        settings: { 'index.lifecycle.name': 'tars_notify_' },
        mappings: { properties: { '@timestamp': { type: 'date', format: 'epoch_second' } } },
      },
    });
  });

  it('fails to open with the failing request and the ES answer in the message', async () => {
    server.respond((r) =>
      r.url.startsWith('/_index_template/tars_property_')
        ? { status: 400, body: { error: { type: 'illegal_argument_exception', reason: 'bad template' }, status: 400 } }
        : undefined,
    );
    await expect(open()).rejects.toThrow(/PUT \/_index_template\/tars_property_: HTTP 400 .*bad template/);
  });

  it('can skip setup', async () => {
    await open({ setup: false } as Partial<StoreOptions>);
    expect(server.requests).toEqual([]);
  });
});

describe('bulk writes', () => {
  it('sends stat rows as index actions into the daily index of their f_date, in upstream document shape', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    s.writeStat([statRow(), statRow({ f_date: '20240102', f_tflag: '0001', succ_count: 0, total_time: 0, timeout_count: 4, exce_count: 0 })]);
    await s.flush();
    const [bulk] = only('_bulk');
    expect(`${bulk!.method} ${bulk!.url}`).toBe('POST /_bulk');
    expect(bulk!.headers['content-type']).toMatch(/x-ndjson/);
    expect(bulk!.body.endsWith('\n')).toBe(true);
    expect(ndjson(bulk!.body)).toEqual([
      { index: { _index: 'tars_stat_20240101' } },
      {
        source_id: '10.0.0.9',
        f_timestamp: 1704103500,
        f_date: '20240101',
        f_tflag: '1005',
        master_name: 'Test.ClientServer',
        slave_name: 'Test.HelloServer',
        interface_name: 'hello',
        tars_version: '3.0.1',
        master_ip: '10.1.0.1',
        slave_ip: '10.2.0.1',
        slave_port: 10000,
        return_value: 0,
        succ_count: 10,
        timeout_count: 1,
        exce_count: 2,
        total_count: 13,
        total_time: 100,
        interv_count: '5|3,10|7',
        ave_time: 10,
        maxrsp_time: 30,
        minrsp_time: 3,
      },
      { index: { _index: 'tars_stat_20240102' } },
      expect.objectContaining({ f_date: '20240102', f_tflag: '0001', total_count: 4, ave_time: 0 }),
    ]);
    // Field order is upstream's too.
    expect(Object.keys(ndjson(bulk!.body)[1] as object)).toEqual([
      'source_id', 'f_timestamp', 'f_date', 'f_tflag', 'master_name', 'slave_name', 'interface_name', 'tars_version',
      'master_ip', 'slave_ip', 'slave_port', 'return_value', 'succ_count', 'timeout_count', 'exce_count', 'total_count',
      'total_time', 'interv_count', 'ave_time', 'maxrsp_time', 'minrsp_time',
    ]);
  });

  it('sends property, notify (create into the data stream) and kevent (create with _id uid:rv, no metadata)', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    s.writeProperty([propertyRow({ policy: 'Avg', value: 2.5 })]);
    await s.flush();
    s.writeNotify([notifyRow()]);
    await s.flush();
    const ev = keventRow();
    s.writeKEvents([{ ...ev, event: { ...ev.event, metadata: { name: 'e.1' } } }]);
    await s.flush();
    const [property, notify, kevent] = only('_bulk').map((r) => ndjson(r.body));
    expect(property).toEqual([
      { index: { _index: 'tars_property_20240101' } },
      {
        f_timestamp: 1704103500, f_date: '20240101', f_tflag: '1005', master_name: 'Test.HelloServer', master_ip: '10.2.0.1',
        property_name: 'queue', set_name: '', set_area: '', set_id: '', policy: 'Avg', value: 2.5,
      },
    ]);
    expect(notify).toEqual([
      { create: { _index: 'tars_notify_' } },
      {
        notifyTime: '2024-01-01T10:05:00+0000', app: 'Test', server: 'HelloServer', podName: 'test-helloserver-0',
        impThread: '', level: '[normal]', message: 'restart', source: 'server', '@timestamp': 1704103500,
      },
    ]);
    expect(kevent).toEqual([
      { create: { _index: 'tars_kevent_', _id: '6f1c0a52-0000-4000-8000-000000000001:100' } },
      { ...ev.event, '@timestamp': 1704103500 },
    ]);
  });

  it('treats 409 on a kevent create as already stored: no retry, no failure', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    server.respond((r) =>
      r.url === '/_bulk'
        ? {
            body: {
              errors: true,
              took: 1,
              items: [
                { create: { _index: '.ds-tars_kevent_-2024.01.01-000001', _id: 'u:1', status: 409, error: { type: 'version_conflict_engine_exception', reason: '[u:1]: version conflict, document already exists' } } },
              ],
            },
          }
        : undefined,
    );
    s.writeKEvents([keventRow({ uid: 'u', resourceVersion: '1' })]);
    await s.flush();
    expect(only('_bulk')).toHaveLength(1);
    expect(s.counters().kevent).toMatchObject({ written: 1, failed: 0, retries: 0 });
  });

  it('retries a failed request with backoff, then only the items refused with 429', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    let n = 0;
    server.respond((r) => {
      if (r.url !== '/_bulk') return undefined;
      n++;
      if (n === 1) return { status: 503, body: { error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' }, status: 503 } };
      if (n === 2) {
        const ok = bulkSuccess(r.body) as { items: Record<string, Record<string, unknown>>[] };
        ok.items[1] = { index: { _index: 'tars_stat_20240101', status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' } } };
        return { body: { ...ok, errors: true } };
      }
      return undefined;
    });
    s.writeStat([statRow({ succ_count: 1 }), statRow({ succ_count: 2 }), statRow({ succ_count: 3 })]);
    await s.flush();
    const bodies = only('_bulk').map((r) => ndjson(r.body).filter((_, i) => i % 2 === 1).map((d) => (d as { succ_count: number }).succ_count));
    expect(bodies).toEqual([[1, 2, 3], [1, 2, 3], [2]]);
    expect(s.counters().stat).toMatchObject({ written: 3, failed: 0, retries: 2, pending: 0 });
  });

  it('counts items refused permanently (mapping error) as failed without retrying them', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    server.respond((r) =>
      r.url === '/_bulk'
        ? {
            body: {
              errors: true,
              took: 1,
              items: [
                { index: { _index: 'tars_stat_20240101', status: 400, error: { type: 'document_parsing_exception', reason: 'failed to parse field [slave_port]' } } },
                { index: { _index: 'tars_stat_20240101', _id: 'x', status: 201, result: 'created' } },
              ],
            },
          }
        : undefined,
    );
    s.writeStat([statRow(), statRow()]);
    await s.flush();
    expect(only('_bulk')).toHaveLength(1);
    expect(s.counters().stat).toMatchObject({ written: 1, failed: 1, retries: 0 });
  });

  it('gives up after the configured attempts and counts the rows as failed', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    server.respond((r) => (r.url === '/_bulk' ? { status: 500, body: { error: 'boom', status: 500 } } : undefined));
    s.writeNotify([notifyRow(), notifyRow()]);
    await s.flush();
    expect(only('_bulk')).toHaveLength(3);
    expect(s.counters().notify).toMatchObject({ written: 0, failed: 2, retries: 2, pending: 0 });
  });
});

describe('MonitorQuery searches', () => {
  const compositePage = (buckets: { key: Record<string, unknown>; [agg: string]: unknown }[], afterKey?: Record<string, unknown>) => ({
    took: 4,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: { total: { value: 1234, relation: 'eq' }, max_score: null, hits: [] },
    aggregations: { groups: { ...(afterKey ? { after_key: afterKey } : {}), buckets } },
  });

  it('tarsweb minute chart: composite on f_tflag with sums, following after_key pages', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    let page = 0;
    server.respond((r) => {
      if (!r.url.includes('_search')) return undefined;
      page++;
      const bucket = (tflag: string, n: number) => ({
        key: { f_tflag: tflag },
        doc_count: 2,
        succ_count: { value: n },
        timeout_count: { value: 1 },
        exce_count: { value: 0 },
        total_time: { value: n * 10 },
      });
      if (page === 1) return { body: compositePage([bucket('1005', 5), bucket('1006', 6)], { f_tflag: '1006' }) };
      if (page === 2) return { body: compositePage([bucket('1007', 7)], { f_tflag: '1007' }) };
      return { body: compositePage([]) };
    });
    const result = await s.queryStat({
      date: '20240101',
      tflag1: '0000',
      tflag2: '2360',
      conditions: [
        { field: 'slave_name', op: QueryOp.LIKE, val: 'Test.HelloServer' },
        { field: 'interface_name', op: QueryOp.LIKE, val: 'hel%' },
      ],
      indexs: ['succ_count', 'timeout_count', 'exce_count', 'total_time'],
      groupby: ['f_tflag'],
    });
    expect([...result.entries()]).toEqual([
      ['1005', [5, 1, 0, 50]],
      ['1006', [6, 1, 0, 60]],
      ['1007', [7, 1, 0, 70]],
    ]);
    const searches = only('_search');
    expect(searches.map((r) => `${r.method} ${r.url}`)).toEqual(Array(3).fill('POST /tars_stat_20240101/_search?ignore_unavailable=true&allow_no_indices=true'));
    const body = (i: number) => json(searches[i]!) as { aggs: { groups: { composite: Record<string, unknown> } } };
    expect(body(0)).toEqual({
      size: 0,
      query: {
        bool: {
          filter: [
            { range: { f_tflag: { gte: '0000', lte: '2360' } } },
            { term: { slave_name: 'Test.HelloServer' } },
            { wildcard: { interface_name: { value: 'hel*' } } },
          ],
        },
      },
      aggs: {
        groups: {
          composite: { size: 1000, sources: [{ f_tflag: { terms: { field: 'f_tflag' } } }] },
          aggs: {
            succ_count: { sum: { field: 'succ_count' } },
            timeout_count: { sum: { field: 'timeout_count' } },
            exce_count: { sum: { field: 'exce_count' } },
            total_time: { sum: { field: 'total_time' } },
          },
        },
      },
    });
    expect(body(1).aggs.groups.composite.after).toEqual({ f_tflag: '1006' });
    expect(body(2).aggs.groups.composite.after).toEqual({ f_tflag: '1007' });
  });

  it('group by f_date and master_ip; max, non-zero min, mean time aggregations', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    server.respond((r) =>
      r.url.includes('_search')
        ? {
            body: compositePage([
              {
                key: { f_date: '20240101', master_ip: '10.1.0.1' },
                doc_count: 3,
                maxrsp_time: { value: 80 },
                minrsp_time: { doc_count: 2, min: { value: 4 } },
                ave_time_num: { value: 100 },
                ave_time_den: { value: 4 },
              },
              {
                key: { f_date: '20240101', master_ip: '10.1.0.2' },
                doc_count: 1,
                maxrsp_time: { value: 0 },
                minrsp_time: { doc_count: 0, min: { value: null } },
                ave_time_num: { value: 0 },
                ave_time_den: { value: 0 },
              },
            ]),
          }
        : undefined,
    );
    const result = await s.queryStat({
      date: '20240101',
      tflag1: '1000',
      tflag2: '1100',
      indexs: ['maxrsp_time', 'minrsp_time', 'ave_time'],
      groupby: ['f_date', 'master_ip'],
    });
    expect([...result.entries()]).toEqual([
      ['20240101,10.1.0.1', [80, 4, 25]],
      ['20240101,10.1.0.2', [0, 0, 0]],
    ]);
    const body = json(only('_search')[0]!) as { aggs: unknown };
    expect(body.aggs).toEqual({
      groups: {
        composite: { size: 1000, sources: [{ f_date: { terms: { field: 'f_date' } } }, { master_ip: { terms: { field: 'master_ip' } } }] },
        aggs: {
          maxrsp_time: { max: { field: 'maxrsp_time' } },
          minrsp_time: { filter: { range: { minrsp_time: { gt: 0 } } }, aggs: { min: { min: { field: 'minrsp_time' } } } },
          ave_time_num: { sum: { field: 'total_time' } },
          ave_time_den: { sum: { field: 'succ_count' } },
        },
      },
    });
  });

  it('ungrouped query: top-level aggregations, one row with the empty key', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    server.respond((r) =>
      r.url.includes('_search')
        ? { body: { ...compositePage([]), aggregations: { succ_count: { value: 12 }, total_count_0: { value: 12 }, total_count_1: { value: 3 }, total_count_2: { value: 1 } } } }
        : undefined,
    );
    const result = await s.queryStat({ date: '20240101', indexs: ['succ_count', 'total_count'], groupby: [], conditions: [{ field: 'slave_port', op: QueryOp.GTE, val: '1000' }] });
    expect([...result.entries()]).toEqual([['', [12, 16]]]);
    expect(json(only('_search')[0]!)).toEqual({
      size: 0,
      query: { bool: { filter: [{ range: { f_tflag: { gte: '0000', lte: '2360' } } }, { range: { slave_port: { gte: 1000 } } }] } },
      aggs: {
        succ_count: { sum: { field: 'succ_count' } },
        total_count_0: { sum: { field: 'succ_count' } },
        total_count_1: { sum: { field: 'timeout_count' } },
        total_count_2: { sum: { field: 'exce_count' } },
      },
    });
  });

  it('a missing daily index (no aggregations in the answer) gives an empty result', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    expect((await s.queryStat({ date: '20240105', indexs: ['succ_count'], groupby: ['f_tflag'] })).size).toBe(0);
    expect([...(await s.queryStat({ date: '20240105', indexs: ['succ_count'], groupby: [] })).entries()]).toEqual([['', [0]]]);
  });

  it('property: the policy is a hidden composite source and values are reduced per policy', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    const b = (tflag: string, policy: string, sum: number, max: number, min: number, avg: number) => ({
      key: { f_tflag: tflag, __policy: policy },
      doc_count: 2,
      value_sum: { value: sum },
      value_max: { value: max },
      value_min: { value: min },
      value_avg: { value: avg },
    });
    server.respond((r) => (r.url.includes('_search') ? { body: compositePage([b('1005', 'Max', 40, 30, 10, 20), b('1006', 'Max', 20, 20, 20, 20)]) } : undefined));
    const result = await s.queryProperty({
      date: '20240101',
      tflag1: '0000',
      tflag2: '2360',
      conditions: [
        { field: 'master_name', op: QueryOp.LIKE, val: 'Test.HelloServer' },
        { field: 'property_name', op: QueryOp.LIKE, val: 'queue' },
        { field: 'policy', op: QueryOp.LIKE, val: 'Max' },
      ],
      indexs: ['value'],
      groupby: ['f_tflag'],
    });
    expect([...result.entries()]).toEqual([
      ['1005', [30]],
      ['1006', [20]],
    ]);
    const req = only('_search')[0]!;
    expect(req.url).toBe('/tars_property_20240101/_search?ignore_unavailable=true&allow_no_indices=true');
    expect(json(req)).toEqual({
      size: 0,
      query: {
        bool: {
          filter: [
            { range: { f_tflag: { gte: '0000', lte: '2360' } } },
            { term: { master_name: 'Test.HelloServer' } },
            { term: { property_name: 'queue' } },
            { term: { policy: 'Max' } },
          ],
        },
      },
      aggs: {
        groups: {
          composite: { size: 1000, sources: [{ f_tflag: { terms: { field: 'f_tflag' } } }, { __policy: { terms: { field: 'policy' } } }] },
          aggs: {
            value_sum: { sum: { field: 'value' } },
            value_max: { max: { field: 'value' } },
            value_min: { min: { field: 'value' } },
            value_avg: { avg: { field: 'value' } },
          },
        },
      },
    });
  });

  it('an ES error fails the query (the query service answers ret=-1 with the message)', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    server.respond((r) =>
      r.url.includes('_search') ? { status: 500, body: { error: { type: 'search_phase_execution_exception', reason: 'all shards failed' }, status: 500 } } : undefined,
    );
    await expect(s.queryStat({ date: '20240101', indexs: ['succ_count'], groupby: ['f_tflag'] })).rejects.toThrow(/search_phase_execution_exception/);
  });
});

describe('notify / kevent searches', () => {
  it('filters on keyword sub-fields and sorts by @timestamp, newest first', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    server.respond((r) =>
      r.url.startsWith('/tars_kevent_/_search')
        ? {
            body: {
              took: 1,
              timed_out: false,
              _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
              hits: {
                total: { value: 1, relation: 'eq' },
                max_score: null,
                hits: [{ _index: '.ds-tars_kevent_-2024.01.01-000001', _id: 'uid-1:42', _score: null, _source: { type: 'Warning', reason: 'BackOff', '@timestamp': 1704103500 }, sort: [1704103500000] }],
              },
            },
          }
        : undefined,
    );
    await s.queryNotify({ app: 'Test', server: 'HelloServer', from: 10, to: 20, limit: 5 });
    const events = await s.queryKEvents({ kind: 'Pod', name: 'p-0', type: 'Warning' });
    expect(events).toEqual([{ uid: 'uid-1', resourceVersion: '42', timestamp: 1704103500, event: { type: 'Warning', reason: 'BackOff' } }]);
    const [notify, kevent] = only('_search');
    expect(notify!.url).toBe('/tars_notify_/_search?ignore_unavailable=true&allow_no_indices=true');
    expect(json(notify!)).toEqual({
      size: 5,
      query: {
        bool: {
          filter: [
            { term: { 'app.keyword': 'Test' } },
            { term: { 'server.keyword': 'HelloServer' } },
            { range: { '@timestamp': { gte: 10, lte: 20 } } },
          ],
        },
      },
      sort: [{ '@timestamp': { order: 'desc' } }],
    });
    expect(json(kevent!)).toEqual({
      size: 100,
      query: {
        bool: {
          filter: [
            { term: { 'involvedObject.kind.keyword': 'Pod' } },
            { term: { 'involvedObject.name.keyword': 'p-0' } },
            { term: { 'type.keyword': 'Warning' } },
          ],
        },
      },
      sort: [{ '@timestamp': { order: 'desc' } }],
    });
  });
});

describe('retention', () => {
  it('lists daily indices, deletes those older than the age, and deletes old stream records by query', async () => {
    const s = await open({ setup: false } as Partial<StoreOptions>);
    server.respond((r) => {
      if (r.url.startsWith('/_cat/indices/tars_stat_')) {
        return { body: [{ index: 'tars_stat_20240120' }, { index: 'tars_stat_20240101' }, { index: 'tars_stat_20240104' }, { index: 'tars_stat_20240105' }, { index: 'tars_stat_old' }] };
      }
      if (r.url.startsWith('/_cat/indices/tars_property_')) return { body: [{ index: 'tars_property_20240119' }] };
      if (r.url.startsWith('/tars_notify_/_delete_by_query')) return { body: { took: 3, timed_out: false, total: 7, deleted: 7, batches: 1, version_conflicts: 0, noops: 0, failures: [] } };
      return undefined;
    });
    const now = Date.UTC(2024, 0, 20, 12);
    const report = await s.applyRetention(now);
    expect(report).toEqual({ dropped: ['tars_stat_20240101', 'tars_stat_20240104'], notifyDeleted: 7, keventDeleted: 0, compacted: [] });
    expect(calls()).toEqual([
      'GET /_cat/indices/tars_stat_*?format=json&h=index',
      // The client percent-encodes the comma of the index list; Elasticsearch decodes it.
      'DELETE /tars_stat_20240101%2Ctars_stat_20240104',
      'GET /_cat/indices/tars_property_*?format=json&h=index',
      'POST /tars_notify_/_delete_by_query?ignore_unavailable=true&allow_no_indices=true&conflicts=proceed&refresh=true',
      'POST /tars_kevent_/_delete_by_query?ignore_unavailable=true&allow_no_indices=true&conflicts=proceed&refresh=true',
    ]);
    const nowS = now / 1000;
    expect(json(only('_delete_by_query')[0]!)).toEqual({ query: { range: { '@timestamp': { lt: nowS - 3 * 86400 } } } });
    expect(json(only('_delete_by_query')[1]!)).toEqual({ query: { range: { '@timestamp': { lt: nowS - 3 * 86400 } } } });
  });
});
