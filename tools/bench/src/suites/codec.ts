// Codec suite: a StatF.reportMicMsg frame (what every service sends each report interval),
// encoded and decoded by our codec and by @tars/stream as @tars/rpc uses it, in the same run.
import { createRequire } from 'node:module';
import { RequestPacket, TarsDecodeError, TarsReader, TarsWriter, TARSONEWAY } from '@tars-ts/codec';
import { sampleStatEntries } from '@tars-ts/codec/testing';
import { StatF } from '@tars-ts/interfaces';
import { compare, measureInterleaved, type Measurement } from '../measure.ts';
import type { BenchOptions, BenchRow, BenchSuite, Scenario } from '../types.ts';

const require = createRequire(import.meta.url);
const Tars = require('@tars/stream');
const RequestF = require('@tars/rpc/core/rpc-tars/RequestF.js').tars;
const PeerStatF = require('@tars/monitor/stat/StatFProxy.js').tars;

const SERVANT = 'tars.tarsstat.StatObj';
const FUNC = 'reportMicMsg';
const TIMEOUT = 60000;

type StatMicMsgHead = StatF.StatMicMsgHead;
type StatMicMsgBody = StatF.StatMicMsgBody;

// ---- ours: the generated StatF code, driven by its descriptor exactly as the RPC runtime does ----

const [msgParam, fromClientParam] = StatF.StatFDescriptor.methods.reportMicMsg.params;

function writeReportMicMsgArgs(w: TarsWriter, msg: Map<StatMicMsgHead, StatMicMsgBody>, bFromClient: boolean): void {
  msgParam.write(w, msgParam.tag, msg);
  fromClientParam.write(w, fromClientParam.tag, bFromClient);
}

function readReportMicMsgArgs(buf: Uint8Array): { msg: Map<StatMicMsgHead, StatMicMsgBody>; bFromClient: boolean } {
  const r = new TarsReader(buf);
  let msg: Map<StatMicMsgHead, StatMicMsgBody> | undefined;
  let bFromClient = false;
  while (r.nextField()) {
    if (r.tag === msgParam.tag) msg = msgParam.read(r) as Map<StatMicMsgHead, StatMicMsgBody>;
    else if (r.tag === fromClientParam.tag) bFromClient = fromClientParam.read(r) as boolean;
    else r.skipField();
  }
  if (!msg) throw new TarsDecodeError('reportMicMsg: msg missing', { tag: msgParam.tag });
  return { msg, bFromClient };
}

const argsWriter = new TarsWriter(64 * 1024);
const frameWriter = new TarsWriter(64 * 1024);

function oursEncode(msg: Map<StatMicMsgHead, StatMicMsgBody>, requestId: number): Buffer {
  argsWriter.reset();
  writeReportMicMsgArgs(argsWriter, msg, true);
  return RequestPacket.encodeFrame(
    RequestPacket.create({ iVersion: 1, cPacketType: TARSONEWAY, iRequestId: requestId, sServantName: SERVANT, sFuncName: FUNC, sBuffer: argsWriter.view(), iTimeout: TIMEOUT }),
    frameWriter,
  );
}

function oursDecode(frame: Buffer): number {
  const req = RequestPacket.decode(frame.subarray(4));
  return readReportMicMsgArgs(req.sBuffer).msg.size;
}

// ---- peer: @tars/monitor's StatFProxy structs, framed exactly like @tars/rpc compose() ----

function toPeerMap(msg: Map<StatMicMsgHead, StatMicMsgBody>): any {
  const pm = Tars.Map(PeerStatF.StatMicMsgHead, PeerStatF.StatMicMsgBody);
  for (const [h, b] of msg) {
    const ph = Object.assign(new PeerStatF.StatMicMsgHead(), h);
    const pb = Object.assign(new PeerStatF.StatMicMsgBody(), { ...b, totalRspTime: Number(b.totalRspTime), intervalCount: Tars.Map(Tars.Int32, Tars.Int32) });
    for (const [k, v] of b.intervalCount) pb.intervalCount.insert(k, v);
    pm.insert(ph, pb);
  }
  return pm;
}

function peerEncode(pm: any, requestId: number): Buffer {
  // StatFProxy.reportMicMsg's _encode
  const args = new Tars.TarsOutputStream();
  args.writeMap(1, pm);
  args.writeBoolean(2, true);
  // tars-client.js compose()
  const req = new RequestF.RequestPacket();
  req.iVersion = 1;
  req.cPacketType = 1;
  req.iMessageType = 0;
  req.iTimeout = TIMEOUT;
  req.iRequestId = requestId;
  req.sServantName = SERVANT;
  req.sFuncName = FUNC;
  req.sBuffer = args.getBinBuffer();
  const os = new Tars.TarsOutputStream();
  os.setHeaderLength(0);
  req._writeTo(os);
  os.setHeaderLength(os.getBinBuffer().length);
  return os.getBinBuffer().toNodeBuffer();
}

function peerDecode(frame: Buffer): number {
  // tars-server.js feed(): envelope; then the servant's dispatch reads the arguments.
  const is = new Tars.TarsInputStream(new Tars.BinBuffer(frame.slice(4)));
  const req = RequestF.RequestPacket._readFrom(is);
  const args = new Tars.TarsInputStream(req.sBuffer);
  const msg = args.readMap(1, true, Tars.Map(PeerStatF.StatMicMsgHead, PeerStatF.StatMicMsgBody));
  args.readBoolean(2, true);
  return msg.size();
}

// ---- scenarios ----

interface Sizes {
  n: number;
  frame: Buffer;
  msg: Map<StatMicMsgHead, StatMicMsgBody>;
  peerMsg: any;
}

function prepare(n: number, variant = 0): Sizes {
  const msg = variant === 0 ? sampleStatEntries(n) : renamed(sampleStatEntries(n), variant);
  const peerMsg = toPeerMap(msg);
  const ours = Buffer.from(oursEncode(msg, 2));
  const peer = Buffer.from(peerEncode(peerMsg, 2));
  // Both sides must produce the very same frame, and read it back whole, before timing means anything.
  if (!ours.equals(peer)) throw new Error(`codec bench: frames differ for N=${n} (ours ${ours.length} B, peer ${peer.length} B)`);
  if (oursDecode(peer) !== n || peerDecode(ours) !== n) throw new Error(`codec bench: decode lost entries for N=${n}`);
  return { n, frame: ours, msg, peerMsg };
}

type Op = 'encode' | 'decode';

// ours and peer at N=100 and N=1000, all four in alternating rounds so that the size ratios and
// the ours/peer ratios come from the same stretch of machine time.
function sizeRows(op: Op, small: Sizes, big: Sizes, opts: BenchOptions): BenchRow[] {
  const fn = (s: Sizes, side: 'ours' | 'peer') =>
    op === 'encode'
      ? side === 'ours' ? () => oursEncode(s.msg, 2) : () => peerEncode(s.peerMsg, 2)
      : side === 'ours' ? () => oursDecode(s.frame) : () => peerDecode(s.frame);
  const m = measureInterleaved({ o1: fn(small, 'ours'), p1: fn(small, 'peer'), o2: fn(big, 'ours'), p2: fn(big, 'peer') }, opts);
  const row = (s: Sizes, o: Measurement, p: Measurement): BenchRow => ({
    name: `${op} stat frame N=${s.n} (${s.frame.length} B)`, ours: o.opsPerSec, peer: p.opsPerSec, unit: 'ops/cpu-s', ratio: o.opsPerSec / p.opsPerSec,
  });
  // Time per op at 1,000 entries over time per op at 100: 10 means linear; lower is better.
  const oursScale = m.o2.usPerOp / m.o1.usPerOp;
  const peerScale = m.p2.usPerOp / m.p1.usPerOp;
  const scale: BenchRow = { name: `${op} time N=${big.n} / N=${small.n}`, ours: oursScale, peer: peerScale, unit: 'x', ratio: peerScale / oursScale };
  const first = row(small, m.o1, m.p1);
  if (op === 'decode') {
    Object.assign(first, { target: 'ratio >= 30', pass: (first.ratio ?? 0) >= 30 });
    Object.assign(scale, { target: 'ours <= 12', pass: oursScale <= 12 });
  }
  return [first, row(big, m.o2, m.p2), scale];
}

// Same entries with every string made unique to this variant (defeats the reader's string cache).
function renamed(msg: Map<StatMicMsgHead, StatMicMsgBody>, variant: number): Map<StatMicMsgHead, StatMicMsgBody> {
  const out = new Map<StatMicMsgHead, StatMicMsgBody>();
  for (const [h, b] of msg) {
    out.set({
      ...h,
      masterName: `${h.masterName}.v${variant}`, slaveName: `${h.slaveName}.v${variant}`, interfaceName: `${h.interfaceName}V${variant}`,
      masterIp: `${h.masterIp}:${variant}`, slaveIp: `${h.slaveIp}:${variant}`, tarsVersion: `${h.tarsVersion}-${variant}`,
    }, b);
  }
  return out;
}

// Decoding a different frame each time whose strings were never seen: the worst case for our
// string cache (a stat server mostly sees the same names and IPs again every interval).
function coldDecodeRow(n: number, opts: BenchOptions): BenchRow {
  const frames = Array.from({ length: 64 }, (_, i) => prepare(n, i + 1).frame);
  let i = 0;
  let j = 0;
  const { ours: o, peer: p } = compare(() => oursDecode(frames[i++ & 63]), () => peerDecode(frames[j++ & 63]), opts);
  return { name: `decode stat frame N=${n}, all strings new`, ours: o.opsPerSec, peer: p.opsPerSec, unit: 'ops/cpu-s', ratio: o.opsPerSec / p.opsPerSec };
}

const encode: Scenario = {
  name: 'encode',
  run: (opts) => sizeRows('encode', prepare(100), prepare(1000), opts),
};

const decode: Scenario = {
  name: 'decode',
  run: (opts) => [...sizeRows('decode', prepare(100), prepare(1000), opts), coldDecodeRow(100, opts)],
};

export const suite: BenchSuite = {
  name: 'codec',
  description: 'StatF.reportMicMsg one-way frame (RequestPacket iVersion 1, map<StatMicMsgHead,StatMicMsgBody>); @tars-ts/codec + generated StatF vs @tars/stream + StatFProxy',
  scenarios: [encode, decode],
};
