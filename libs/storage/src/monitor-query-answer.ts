/**
 * `MonitorQuery.query` answered from a store, in the shape tarsquerystat/tarsqueryproperty
 * return (MonitorQuery.tars): ret 0 with the result, or ret -1 with the error text in `msg`
 * (upstream K8S: ES body in msg, method returns -1). The K8S edition leaves lastTime, activeDb,
 * totalDb and retThreads at their defaults; so does this, except that one store counts as one
 * active DB that answered 0, which is what the native edition reports for a healthy single DB.
 */
import type { MonitorQuery, MonitorQueryResult } from './query.ts';
import type { MonitorStore } from './store.ts';

export interface MonitorQueryAnswer {
  /** Return value of the `query` method. */
  ret: number;
  rsp: {
    ret: number;
    msg: string;
    lastTime: string;
    activeDb: number;
    totalDb: number;
    retThreads: number[];
    result: MonitorQueryResult;
  };
}

export async function answerMonitorQuery(store: MonitorStore, dataset: 'stat' | 'property', request: MonitorQuery): Promise<MonitorQueryAnswer> {
  try {
    const result = dataset === 'stat' ? await store.queryStat(request) : await store.queryProperty(request);
    return { ret: 0, rsp: { ret: 0, msg: '', lastTime: '', activeDb: 1, totalDb: 1, retThreads: [0], result } };
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { ret: -1, rsp: { ret: -1, msg, lastTime: '', activeDb: 1, totalDb: 1, retThreads: [-1], result: new Map() } };
  }
}
