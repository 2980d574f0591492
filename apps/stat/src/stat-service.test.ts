// StatObj over real sockets: TARS and TUP calls, and bad input that must not cost earlier data.
import { RequestPacket, TarsWriter, TARSONEWAY } from '@tars-ts/codec';
import { StatF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import type { StatRow } from '@tars-ts/storage';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startStatService } from './stat-service.ts';
import { cppBody, head } from './testing/stat-fixtures.ts';

function recordingStore() {
  const rows: StatRow[] = [];
  return { rows, writeStat: (b: readonly StatRow[]) => (rows.push(...b), b.length), flush: async () => {} };
}

describe('StatObj over TCP', () => {
  it('takes TARS (iVersion 1) and TUP (iVersion 3) calls alike', async () => {
    const store = recordingStore();
    const stat = await startStatService({ store, logger: silentLogger, sourceId: 's', endpoint: 'tcp -h 127.0.0.1 -p 0', clock: () => 0, utcOffsetMinutes: 0 });
    const comm = new Communicator();
    try {
      const proxy = comm.stringToProxy(StatF.StatFProxy, stat.proxyString);
      expect(await proxy.reportMicMsg(new Map([[head({}), cppBody([3])]]), true)).toBe(0);
      expect(await proxy.reportMicMsg(new Map([[head({}), cppBody([4])]]), true, { version: 3 })).toBe(0);
      expect(await proxy.reportSampleMsg([StatF.StatSampleMsg.create({ unid: 'x' })])).toBe(0);
    } finally {
      await comm.close();
      await stat.stop();
    }
    expect(store.rows.map((r) => [r.succ_count, r.total_time, r.master_ip])).toEqual([[2, 7, '127.0.0.1']]);
  });

  it('drops a malformed call (and only it), keeps serving the connection and what came before', async () => {
    const store = recordingStore();
    const stat = await startStatService({ store, logger: silentLogger, sourceId: 's', endpoint: 'tcp -h 127.0.0.1 -p 0', clock: () => 0 });
    const frame = (args: Buffer, id: number) =>
      RequestPacket.encodeFrame(RequestPacket.create({ iVersion: 1, cPacketType: TARSONEWAY, iRequestId: id, sServantName: 'tars.tarsstat.StatObj', sFuncName: 'reportMicMsg', sBuffer: args, iTimeout: 1000 }));
    const args = (entries: Map<StatF.StatMicMsgHead, StatF.StatMicMsgBody>) => {
      const w = new TarsWriter();
      StatF.StatFDescriptor.methods.reportMicMsg.params[0].write(w, 1, entries);
      w.writeBool(2, true);
      return w.toBuffer();
    };
    const good = args(new Map([[head({}), cppBody([5])]]));
    const bad = Buffer.from(good.subarray(0, good.length - 6)); // truncated map
    const socket = connect({ port: stat.server.endpointOf('tars.tarsstat.StatObj').port, host: '127.0.0.1' });
    await new Promise((r) => socket.once('connect', r));
    socket.write(Buffer.concat([frame(good, 1), frame(bad, 2), frame(good, 3)]));
    for (let i = 0; i < 200 && stat.counters().entries < 2; i++) await new Promise((r) => setTimeout(r, 10));
    socket.destroy();
    await stat.stop();
    expect(stat.counters()).toMatchObject({ entries: 2, merged: 2 });
    expect(stat.server.adapters[0].stats.decodeErrors).toBe(1);
    expect(store.rows.map((r) => r.succ_count)).toEqual([2]);
  });
});
