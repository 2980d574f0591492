/**
 * MonitorQuery.query (tarsweb's stat/property charts) on a monitor store, for tarsquerystat and
 * tarsqueryproperty. The K8S edition answers from Elasticsearch SQL; here the store does the
 * grouping and summing (libs/storage `normalizeQuery` documents fields and indexes). `dataid` and
 * `method` are ignored, as upstream K8S does. A bad request or a store failure is `ret -1` with
 * the reason in `rsp.msg` (tarsweb throws on either).
 */
import { MonitorQuery } from '@tars-ts/interfaces';
import type { Current, Logger } from '@tars-ts/rpc';
import { QueryError, type MonitorStore, type MonitorQuery as StoreQuery, type MonitorQueryResult } from '@tars-ts/storage';

export type RunQuery = (query: StoreQuery) => Promise<MonitorQueryResult>;

/** The data a query service answers from: stat rows (tarsquerystat) or property rows (tarsqueryproperty). */
export type QueryKind = 'stat' | 'property';

/** The store method each kind needs. */
export type QueryStore<K extends QueryKind> = K extends 'stat' ? Pick<MonitorStore, 'queryStat'> : Pick<MonitorStore, 'queryProperty'>;

/** The store request for a MonitorQueryReq. */
export function toStoreQuery(req: MonitorQuery.MonitorQueryReq): StoreQuery {
  return {
    date: req.date,
    tflag1: req.tflag1,
    tflag2: req.tflag2,
    conditions: req.conditions.map((c) => ({ field: c.field, op: c.op, val: c.val })),
    indexs: req.indexs,
    groupby: req.groupby,
  };
}

export class MonitorQueryImp extends MonitorQuery.MonitorQueryServant {
  readonly #run: RunQuery;
  readonly #logger: Logger;

  constructor(run: RunQuery, logger: Logger) {
    super();
    this.#run = run;
    this.#logger = logger;
  }

  async query(current: Current, req: MonitorQuery.MonitorQueryReq): Promise<{ ret: number; rsp: MonitorQuery.MonitorQueryRsp }> {
    try {
      const result = await this.#run(toStoreQuery(req));
      return { ret: 0, rsp: MonitorQuery.MonitorQueryRsp.create({ ret: 0, result }) };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (e instanceof QueryError) this.#logger.info(`query ${req.uid} from ${current.remoteAddress} refused: ${msg}`);
      else this.#logger.error(`query ${req.uid} from ${current.remoteAddress} failed: ${msg}`);
      return { ret: -1, rsp: MonitorQuery.MonitorQueryRsp.create({ ret: -1, msg }) };
    }
  }
}

/** The MonitorQuery servant answering from `store`'s rows of one kind. */
export function monitorQueryServant<K extends QueryKind>(kind: K, store: QueryStore<K>, logger: Logger): MonitorQueryImp {
  const run: RunQuery =
    kind === 'stat'
      ? (q) => (store as Pick<MonitorStore, 'queryStat'>).queryStat(q)
      : (q) => (store as Pick<MonitorStore, 'queryProperty'>).queryProperty(q);
  return new MonitorQueryImp(run, logger);
}
