// Test helpers: StatF maps built and encoded as clients do, read back as the server reads them.
import { TarsReader, TarsWriter } from '@tars-ts/codec';
import { StatF } from '@tars-ts/interfaces';
import { readStatBatch, type StatBatch } from '../stat-batch.ts';

export const C_POINTS = [5, 10, 50, 100, 200, 500, 1000, 2000, 3000];

export function head(init: Partial<StatF.StatMicMsgHead>): StatF.StatMicMsgHead {
  return StatF.StatMicMsgHead.create({ masterName: 'Test.Client@3.0.0', slaveName: 'Test.HelloServer', interfaceName: 'hello', slaveIp: '10.0.0.2', slavePort: 20000, ...init });
}

/**
 * A body as a TarsCpp reporter builds it for calls that took `latencies` ms (success), plus
 * timeouts and exceptions: every point present, first point p with t < p counted, t >= 3000 in no
 * bucket (StatReport.cpp), minimum = smallest non-zero.
 */
export function cppBody(latencies: number[], timeouts = 0, execs = 0): StatF.StatMicMsgBody {
  const intervalCount = new Map(C_POINTS.map((p) => [p, 0]));
  let total = 0, max = 0, min = 0;
  for (const t of latencies) {
    const p = C_POINTS.find((x) => t < x);
    if (p !== undefined) intervalCount.set(p, intervalCount.get(p)! + 1);
    total += t;
    max = Math.max(max, t);
    if (min === 0 || (t !== 0 && t < min)) min = t;
  }
  return { count: latencies.length, timeoutCount: timeouts, execCount: execs, intervalCount, totalRspTime: BigInt(total), maxRspTime: max, minRspTime: min };
}

const msgParam = StatF.StatFDescriptor.methods.reportMicMsg.params[0];

/** The map as the generated proxy writes it (tag 1), read back by the server's batch reader. */
export function batchOf(entries: Array<[StatF.StatMicMsgHead, StatF.StatMicMsgBody]>): StatBatch {
  const w = new TarsWriter();
  msgParam.write(w, 1, new Map(entries));
  const r = new TarsReader(w.toBuffer());
  r.nextField();
  return readStatBatch(r);
}
