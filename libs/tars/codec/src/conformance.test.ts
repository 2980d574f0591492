// Conformance against the official @tars/stream (and @tars/rpc's RequestF.js, @tars/monitor's
// StatFProxy.js): property-based round trips in both directions, byte-equal where both sides
// are specified to produce the same bytes.
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, RequestPacket, ResponsePacket, TarsReader, TarsWriter, UniAttribute } from './index.ts';
import { StatMicMsgBody, StatMicMsgHead, readReportMicMsgArgs, writeReportMicMsgArgs } from './testing/index.ts';

const require = createRequire(import.meta.url);
const Tars = require('@tars/stream');
const RequestF = require('@tars/rpc/core/rpc-tars/RequestF.js').tars;
const StatF = require('@tars/monitor/stat/StatFProxy.js').tars;

const RUNS = { numRuns: 200 };
const tagArb = fc.integer({ min: 0, max: 255 });
// Random text plus lengths around the STRING1/STRING4 switch (255 bytes) in 1- and 3-byte characters.
const stringArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.integer({ min: 250, max: 260 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 80, max: 90 }).map((n) => '€'.repeat(n)),
  fc.integer({ min: 0, max: 5 }).map((n) => 'é'.repeat(125 + n)),
);

function peerBytes(f: (os: any) => void): Buffer {
  const os = new Tars.TarsOutputStream();
  f(os);
  return Buffer.from(os.getBinBuffer().toNodeBuffer());
}
function peerInput(buf: Buffer): any {
  return new Tars.TarsInputStream(new Tars.BinBuffer(Buffer.from(buf)));
}
function oursBytes(f: (w: TarsWriter) => void): Buffer {
  const w = new TarsWriter(8);
  f(w);
  return w.toBuffer();
}
function oursField(buf: Buffer, tag: number): TarsReader {
  const r = new TarsReader(buf);
  while (r.nextField()) {
    if (r.tag === tag) return r;
    r.skipField();
  }
  throw new Error(`tag ${tag} not found`);
}

// One primitive type on both sides: our writer/reader, the peer's writer/reader.
interface Prim<T> {
  name: string;
  arb: fc.Arbitrary<T>;
  ours: (w: TarsWriter, tag: number, v: T) => void;
  oursRead: (r: TarsReader) => T;
  peer: (os: any, tag: number, v: T) => void;
  peerRead: (is: any, tag: number) => T;
}

const prims: Prim<any>[] = [
  { name: 'bool', arb: fc.boolean(), ours: (w, t, v) => w.writeBool(t, v), oursRead: (r) => r.readBool(), peer: (os, t, v) => os.writeBoolean(t, v), peerRead: (is, t) => is.readBoolean(t, true) },
  { name: 'byte', arb: fc.integer({ min: -128, max: 127 }), ours: (w, t, v) => w.writeInt8(t, v), oursRead: (r) => r.readInt8(), peer: (os, t, v) => os.writeInt8(t, v), peerRead: (is, t) => is.readInt8(t, true) },
  { name: 'short', arb: fc.integer({ min: -32768, max: 32767 }), ours: (w, t, v) => w.writeInt16(t, v), oursRead: (r) => r.readInt16(), peer: (os, t, v) => os.writeInt16(t, v), peerRead: (is, t) => is.readInt16(t, true) },
  { name: 'int', arb: fc.integer(), ours: (w, t, v) => w.writeInt32(t, v), oursRead: (r) => r.readInt32(), peer: (os, t, v) => os.writeInt32(t, v), peerRead: (is, t) => is.readInt32(t, true) },
  { name: 'unsigned int', arb: fc.integer({ min: 0, max: 4294967295 }), ours: (w, t, v) => w.writeUInt32(t, v), oursRead: (r) => r.readUInt32(), peer: (os, t, v) => os.writeUInt32(t, v), peerRead: (is, t) => is.readUInt32(t, true) },
  {
    name: 'long (bigint vs peer string mode)',
    arb: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    ours: (w, t, v) => w.writeInt64(t, v),
    oursRead: (r) => r.readInt64(),
    peer: (os, t, v) => os.writeInt64(t, v.toString(), true),
    peerRead: (is, t) => BigInt(is.readInt64(t, true, '0', true)),
  },
  {
    name: 'long (safe integers vs peer number mode)',
    arb: fc.maxSafeInteger(),
    ours: (w, t, v) => w.writeInt64(t, v),
    oursRead: (r) => Number(r.readInt64()),
    peer: (os, t, v) => os.writeInt64(t, v),
    peerRead: (is, t) => is.readInt64(t, true),
  },
  // -0 excluded: @tars/stream writes it as ZERO_TAG (loses the sign), we keep it.
  { name: 'float', arb: fc.float({ noDefaultInfinity: false }).filter((x) => !Object.is(x, -0)), ours: (w, t, v) => w.writeFloat(t, v), oursRead: (r) => r.readFloat(), peer: (os, t, v) => os.writeFloat(t, v), peerRead: (is, t) => is.readFloat(t, true) },
  { name: 'double', arb: fc.double().filter((x) => !Object.is(x, -0)), ours: (w, t, v) => w.writeDouble(t, v), oursRead: (r) => r.readDouble(), peer: (os, t, v) => os.writeDouble(t, v), peerRead: (is, t) => is.readDouble(t, true) },
  { name: 'string (any Unicode, boundary lengths)', arb: stringArb, ours: (w, t, v) => w.writeString(t, v), oursRead: (r) => r.readString(), peer: (os, t, v) => os.writeString(t, v), peerRead: (is, t) => is.readString(t, true) },
  { name: 'string (ASCII)', arb: fc.string({ maxLength: 300 }), ours: (w, t, v) => w.writeString(t, v), oursRead: (r) => r.readString(), peer: (os, t, v) => os.writeString(t, v), peerRead: (is, t) => is.readString(t, true) },
  {
    name: 'vector<byte>',
    arb: fc.uint8Array({ maxLength: 600 }).map((u) => Buffer.from(u)),
    ours: (w, t, v) => w.writeBytes(t, v),
    oursRead: (r) => r.readBytes(),
    peer: (os, t, v) => os.writeBytes(t, new Tars.BinBuffer(Buffer.from(v))),
    peerRead: (is, t) => Buffer.from(is.readBytes(t, true, Tars.BinBuffer).toNodeBuffer()),
  },
];

describe('primitives vs @tars/stream', () => {
  for (const p of prims) {
    it(`${p.name}: same bytes, and each side reads the other`, () => {
      fc.assert(
        fc.property(tagArb, p.arb, (tag, v) => {
          const ours = oursBytes((w) => p.ours(w, tag, v));
          const peer = peerBytes((os) => p.peer(os, tag, v));
          expect(ours.toString('hex')).toBe(peer.toString('hex'));
          expect(p.peerRead(peerInput(ours), tag)).toEqual(v);
          expect(p.oursRead(oursField(peer, tag))).toEqual(v);
        }),
        RUNS,
      );
    });
  }

  it('a field at a higher tag is found by both after skipping every primitive before it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: prims.length - 1 }), { maxLength: 12 }), fc.string(), (kinds, last) => {
        const values = kinds.map((k) => fc.sample(prims[k].arb, 1)[0]);
        const ours = oursBytes((w) => {
          kinds.forEach((k, i) => prims[k].ours(w, i, values[i]));
          w.writeString(200, last);
        });
        expect(peerInput(ours).readString(200, true)).toBe(last);
        const peer = peerBytes((os) => {
          kinds.forEach((k, i) => prims[k].peer(os, i, values[i]));
          os.writeString(200, last);
        });
        expect(oursField(peer, 200).readString()).toBe(last);
      }),
      { numRuns: 100 },
    );
  });
});

describe('containers vs @tars/stream', () => {
  it('vector<int> and vector<string>', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.array(fc.string({ unit: 'binary', maxLength: 40 })), (ints, strs) => {
        const ours = oursBytes((w) => {
          w.writeListBegin(0, ints.length);
          for (const x of ints) w.writeInt32(0, x);
          w.writeListBegin(1, strs.length);
          for (const s of strs) w.writeString(0, s);
        });
        const peer = peerBytes((os) => {
          const li = Tars.List(Tars.Int32);
          ints.forEach((x) => li.push(x));
          const ls = Tars.List(Tars.String);
          strs.forEach((s) => ls.push(s));
          os.writeList(0, li);
          os.writeList(1, ls);
        });
        expect(ours.toString('hex')).toBe(peer.toString('hex'));
        const is = peerInput(ours);
        expect(is.readList(0, true, Tars.List(Tars.Int32)).value).toEqual(ints);
        expect(is.readList(1, true, Tars.List(Tars.String)).value).toEqual(strs);
        const r = new TarsReader(peer);
        r.nextField();
        const got: number[] = [];
        for (let i = 0, n = r.readListSize(); i < n; i++) {
          r.expectElement(0);
          got.push(r.readInt32());
        }
        expect(got).toEqual(ints);
      }),
      RUNS,
    );
  });

  it('map<string,string> (non-numeric keys keep their order on both sides, so bytes match)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string().map((s) => `k${s}`), fc.string({ unit: 'binary', maxLength: 30 })), { selector: (e) => e[0], maxLength: 20 }), (entries) => {
        const m = new Map(entries);
        const ours = oursBytes((w) => {
          w.writeMapBegin(9, m.size);
          for (const [k, v] of m) {
            w.writeString(0, k);
            w.writeString(1, v);
          }
        });
        const pm = Tars.Map(Tars.String, Tars.String);
        for (const [k, v] of m) pm.insert(k, v);
        const peer = peerBytes((os) => os.writeMap(9, pm));
        expect(ours.toString('hex')).toBe(peer.toString('hex'));
        const back = peerInput(ours).readMap(9, true, Tars.Map(Tars.String, Tars.String));
        expect(back.toObject()).toEqual(Object.fromEntries(m));
      }),
      RUNS,
    );
  });

  it('map<int,int> both ways (the peer orders integer keys itself, so compare contents)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.integer(), fc.integer()), { selector: (e) => e[0], maxLength: 20 }), (entries) => {
        const m = new Map(entries);
        const ours = oursBytes((w) => {
          w.writeMapBegin(3, m.size);
          for (const [k, v] of m) {
            w.writeInt32(0, k);
            w.writeInt32(1, v);
          }
        });
        const back = peerInput(ours).readMap(3, true, Tars.Map(Tars.Int32, Tars.Int32));
        const peerGot = new Map<number, number>();
        back.forEach((k: number, v: number) => void peerGot.set(k, v));
        expect(peerGot).toEqual(m);
        const pm = Tars.Map(Tars.Int32, Tars.Int32);
        for (const [k, v] of m) pm.insert(k, v);
        const r = oursField(peerBytes((os) => os.writeMap(3, pm)), 3);
        const oursGot = new Map<number, number>();
        for (let i = 0, n = r.readMapSize(); i < n; i++) {
          r.expectElement(0);
          const k = r.readInt32();
          r.expectElement(1);
          oursGot.set(k, r.readInt32());
        }
        expect(oursGot).toEqual(m);
      }),
      RUNS,
    );
  });
});

// ---- struct-keyed maps: StatF.reportMicMsg args against @tars/monitor's StatFProxy structs ----

const str = fc.string({ unit: 'binary', maxLength: 20 });
const headArb = fc.record({
  masterName: str, slaveName: str, interfaceName: str, masterIp: str, slaveIp: str,
  slavePort: fc.integer(), returnValue: fc.integer(),
  slaveSetName: str, slaveSetArea: str, slaveSetID: str, tarsVersion: str,
});
const bodyArb = fc.record({
  count: fc.integer(), timeoutCount: fc.integer(), execCount: fc.integer(),
  // Non-negative ascending keys: the peer's object-backed map emits integer keys in that order.
  intervalCount: fc.uniqueArray(fc.nat(), { maxLength: 9 }).chain((ks) =>
    fc.tuple(...ks.sort((a, b) => a - b).map((k) => fc.tuple(fc.constant(k), fc.integer()))).map((e) => new Map(e)),
  ),
  totalRspTime: fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }),
  maxRspTime: fc.integer(), minRspTime: fc.integer(),
});
// Heads are unique by interfaceName suffix: the peer's map merges equal struct keys.
const statMapArb = fc.array(fc.tuple(headArb, bodyArb), { maxLength: 8 }).map((es) =>
  new Map(es.map(([h, b], i) => [StatMicMsgHead.create({ ...h, interfaceName: `${h.interfaceName}#${i}` }), StatMicMsgBody.create(b)])),
);

function toPeerStat(m: Map<StatMicMsgHead, StatMicMsgBody>): any {
  const pm = Tars.Map(StatF.StatMicMsgHead, StatF.StatMicMsgBody);
  for (const [h, b] of m) {
    const ph = new StatF.StatMicMsgHead();
    Object.assign(ph, h);
    const pb = new StatF.StatMicMsgBody();
    Object.assign(pb, { ...b, totalRspTime: Number(b.totalRspTime), intervalCount: Tars.Map(Tars.Int32, Tars.Int32) });
    for (const [k, v] of b.intervalCount) pb.intervalCount.insert(k, v);
    pm.insert(ph, pb);
  }
  return pm;
}

function fromPeerStat(pm: any): Array<[StatMicMsgHead, StatMicMsgBody]> {
  const out: Array<[StatMicMsgHead, StatMicMsgBody]> = [];
  pm.forEach((h: any, b: any) => {
    const intervalCount = new Map<number, number>();
    b.intervalCount.forEach((k: number, v: number) => void intervalCount.set(k, v));
    out.push([
      StatMicMsgHead.create(h.toObject()),
      StatMicMsgBody.create({ ...b.toObject(), intervalCount, totalRspTime: BigInt(b.totalRspTime) }),
    ]);
  });
  return out;
}

describe('map<StatMicMsgHead,StatMicMsgBody> (struct keys) vs @tars/monitor StatFProxy', () => {
  it('same bytes; peer decodes ours; we decode the peer', () => {
    fc.assert(
      fc.property(statMapArb, fc.boolean(), (m, fromClient) => {
        const ours = oursBytes((w) => writeReportMicMsgArgs(w, m, fromClient));
        const peer = peerBytes((os) => {
          os.writeMap(1, toPeerStat(m));
          os.writeBoolean(2, fromClient);
        });
        expect(ours.toString('hex')).toBe(peer.toString('hex'));

        const is = peerInput(ours);
        const pm = is.readMap(1, true, Tars.Map(StatF.StatMicMsgHead, StatF.StatMicMsgBody));
        expect(is.readBoolean(2, true)).toBe(fromClient);
        expect(fromPeerStat(pm)).toEqual([...m]);

        const back = readReportMicMsgArgs(peer);
        expect(back.bFromClient).toBe(fromClient);
        expect([...back.msg]).toEqual([...m]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('skipping containers and structs across implementations', () => {
  it('each side skips the other\'s lists, maps, nested and struct-keyed fields to reach a later tag', () => {
    fc.assert(
      fc.property(statMapArb, fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }), fc.string(), (m, strs, last) => {
        const head = [...m.keys()][0] ?? StatMicMsgHead.create();
        const ours = oursBytes((w) => {
          writeReportMicMsgArgs(w, m, true); // MAP of STRUCT->STRUCT at 1, bool at 2
          w.writeListBegin(3, strs.length);
          for (const x of strs) w.writeString(0, x);
          StatMicMsgHead.write(w, 4, head);
          w.writeBytes(5, Buffer.from(last));
          w.writeListBegin(6, 1);
          w.writeListBegin(0, 1);
          w.writeMapBegin(0, 0);
          w.writeString(200, last);
        });
        expect(peerInput(ours).readString(200, true)).toBe(last);
        const peer = peerBytes((os) => {
          os.writeMap(1, toPeerStat(m));
          os.writeBoolean(2, true);
          const l = Tars.List(Tars.String);
          strs.forEach((x) => l.push(x));
          os.writeList(3, l);
          os.writeStruct(4, Object.assign(new StatF.StatMicMsgHead(), head));
          os.writeBytes(5, new Tars.BinBuffer(Buffer.from(last)));
          const inner = Tars.List(Tars.List(Tars.Map(Tars.String, Tars.String)));
          const mid = Tars.List(Tars.Map(Tars.String, Tars.String));
          mid.push(Tars.Map(Tars.String, Tars.String));
          inner.push(mid);
          os.writeList(6, inner);
          os.writeString(200, last);
        });
        expect(ours.toString('hex')).toBe(peer.toString('hex'));
        expect(oursField(peer, 200).readString()).toBe(last);
      }),
      { numRuns: 100 },
    );
  });
});

// ---- envelope: RequestPacket / ResponsePacket vs @tars/rpc RequestF.js ----

const kvArb = fc.uniqueArray(fc.tuple(fc.string().map((s) => `k${s}`), fc.string({ maxLength: 30 })), { selector: (e) => e[0], maxLength: 4 }).map((e) => new Map(e));
const requestArb = fc.record({
  iVersion: fc.integer({ min: -32768, max: 32767 }),
  cPacketType: fc.integer({ min: -128, max: 127 }),
  iMessageType: fc.integer(),
  iRequestId: fc.integer(),
  sServantName: fc.string({ maxLength: 60 }),
  sFuncName: fc.string({ maxLength: 40 }),
  sBuffer: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
  iTimeout: fc.integer(),
  context: kvArb,
  status: kvArb,
});
const responseArb = fc.record({
  iVersion: fc.integer({ min: -32768, max: 32767 }),
  cPacketType: fc.integer({ min: -128, max: 127 }),
  iRequestId: fc.integer(),
  iMessageType: fc.integer(),
  iRet: fc.integer(),
  sBuffer: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
  status: kvArb,
  sResultDesc: fc.string({ unit: 'binary', maxLength: 300 }),
  context: kvArb,
});

function peerMap(m: Map<string, string>): any {
  const pm = Tars.Map(Tars.String, Tars.String);
  for (const [k, v] of m) pm.insert(k, v);
  return pm;
}
function mapOf(pm: any): Map<string, string> {
  return new Map(Object.entries(pm.toObject()));
}

describe('envelope vs @tars/rpc RequestF.js', () => {
  it('RequestPacket: same bytes and both directions', () => {
    fc.assert(
      fc.property(requestArb, (v) => {
        const ours = RequestPacket.encode(v);
        const p = new RequestF.RequestPacket();
        Object.assign(p, { ...v, sBuffer: new Tars.BinBuffer(Buffer.from(v.sBuffer)), context: peerMap(v.context), status: peerMap(v.status) });
        const peer = peerBytes((os) => p._writeTo(os));
        expect(ours.toString('hex')).toBe(peer.toString('hex'));
        const back = RequestF.RequestPacket._readFrom(peerInput(ours));
        expect({ ...back.toObject(), sBuffer: Buffer.from(back.sBuffer.toNodeBuffer()), context: mapOf(back.context), status: mapOf(back.status) })
          .toEqual(v);
        expect(RequestPacket.decode(peer)).toEqual(v);
      }),
      RUNS,
    );
  });

  it('ResponsePacket: same bytes and both directions', () => {
    fc.assert(
      fc.property(responseArb, (v) => {
        const ours = ResponsePacket.encode(v);
        const p = new RequestF.ResponsePacket();
        Object.assign(p, { ...v, sBuffer: new Tars.BinBuffer(Buffer.from(v.sBuffer)), context: peerMap(v.context), status: peerMap(v.status) });
        const peer = peerBytes((os) => p._writeTo(os));
        expect(ours.toString('hex')).toBe(peer.toString('hex'));
        const back = RequestF.ResponsePacket._readFrom(peerInput(ours));
        expect({ ...back.toObject(), sBuffer: Buffer.from(back.sBuffer.toNodeBuffer()), context: mapOf(back.context), status: mapOf(back.status) })
          .toEqual(v);
        expect(ResponsePacket.decode(peer)).toEqual(v);
      }),
      RUNS,
    );
  });

  it('a response without the optional tags 8 and 9 decodes with their defaults', () => {
    const p = new RequestF.ResponsePacket();
    p.iVersion = 1;
    p.iRequestId = 9;
    const full = peerBytes((os) => p._writeTo(os));
    // Cut after tag 7 (status): "78 0c" is the last required field.
    const cut = full.subarray(0, full.indexOf(Buffer.from('780c', 'hex')) + 2);
    const v = ResponsePacket.decode(cut);
    expect(v.iRequestId).toBe(9);
    expect(v.sResultDesc).toBe('');
    expect(v.context.size).toBe(0);
  });

  it('a frame built by @tars/rpc compose() decodes through FrameDecoder', () => {
    const os = new Tars.TarsOutputStream();
    os.setHeaderLength(0);
    const p = new RequestF.RequestPacket();
    Object.assign(p, { iVersion: 1, cPacketType: 1, iRequestId: 77, sServantName: 'tars.tarsstat.StatObj', sFuncName: 'reportMicMsg', iTimeout: 60000 });
    p._writeTo(os);
    os.setHeaderLength(os.getBinBuffer().length);
    const frame = Buffer.from(os.getBinBuffer().toNodeBuffer());
    const got: RequestPacket[] = [];
    new FrameDecoder().push(Buffer.concat([frame, frame]), (b) => got.push(RequestPacket.decode(b)));
    expect(got.map((g) => [g.iRequestId, g.cPacketType, g.sFuncName, g.iTimeout])).toEqual([
      [77, 1, 'reportMicMsg', 60000],
      [77, 1, 'reportMicMsg', 60000],
    ]);
  });
});

// ---- TUP (iVersion 3) vs @tars/stream UniAttribute / Tup ----

const int32Codec = { write: (w: TarsWriter, t: number, v: number) => w.writeInt32(t, v), read: (r: TarsReader) => r.readInt32() };
const stringCodec = { write: (w: TarsWriter, t: number, v: string) => w.writeString(t, v), read: (r: TarsReader) => r.readString() };
const headCodec = { write: StatMicMsgHead.write, read: StatMicMsgHead.read };

describe('TUP vs @tars/stream', () => {
  it('UniAttribute: same bytes and both directions', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string({ unit: 'binary', maxLength: 300 }), headArb, (n, s, h) => {
        const head = StatMicMsgHead.create(h);
        const u = new UniAttribute().put('n', int32Codec, n).put('sName', stringCodec, s).put('head', headCodec, head);
        const ours = u.encode();
        const pu = new Tars.UniAttribute();
        pu.writeInt32('n', n);
        pu.writeString('sName', s);
        const ph = new StatF.StatMicMsgHead();
        Object.assign(ph, h);
        pu.writeStruct('head', ph);
        const peer = Buffer.from(pu.encode().toNodeBuffer());
        expect(ours.toString('hex')).toBe(peer.toString('hex'));

        const pd = new Tars.UniAttribute();
        pd.decode(new Tars.BinBuffer(ours));
        expect(pd.readInt32('n')).toBe(n);
        expect(pd.readString('sName')).toBe(s);
        expect(StatMicMsgHead.create(pd.readStruct('head', StatF.StatMicMsgHead).toObject())).toEqual(head);

        const od = UniAttribute.decode(peer);
        expect(od.take('n', int32Codec)).toBe(n);
        expect(od.take('sName', stringCodec)).toBe(s);
        expect(od.take('head', headCodec)).toEqual(head);
        expect(od.take('missing', int32Codec)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('a Tup request from the peer decodes as RequestPacket iVersion 3 + UniAttribute, and ours decodes in the peer Tup', () => {
    const tup = new Tars.Tup();
    tup.servantName = 'Test.HelloServer.HelloObj';
    tup.funcName = 'sayHello';
    tup.requestId = 5;
    tup.writeString('name', '世界');
    tup.writeInt32('times', 3);
    const frame = Buffer.from(tup.encode().toNodeBuffer());
    let req: RequestPacket | undefined;
    new FrameDecoder().push(frame, (b) => (req = RequestPacket.decode(b)));
    expect(req).toMatchObject({ iVersion: 3, iRequestId: 5, sFuncName: 'sayHello' });
    const args = UniAttribute.decode(req!.sBuffer);
    expect(args.take('name', stringCodec)).toBe('世界');
    expect(args.take('times', int32Codec)).toBe(3);

    // Our TUP reply (RequestPacket-shaped, result code in status) read by the peer's Tup.
    const reply = RequestPacket.encodeFrame(RequestPacket.create({
      iVersion: 3, iRequestId: 5, sServantName: req!.sServantName, sFuncName: req!.sFuncName,
      sBuffer: new UniAttribute().put('', int32Codec, 0).put('greeting', stringCodec, 'hi 世界').encode(),
      status: new Map([['STATUS_RESULT_CODE', '0'], ['STATUS_RESULT_DESC', '']]),
    }));
    const pt = new Tars.Tup();
    pt.decode(new Tars.BinBuffer(reply));
    expect(pt.getTarsResultCode()).toBe(0);
    expect(pt.readInt32('')).toBe(0);
    expect(pt.readString('greeting')).toBe('hi 世界');
  });
});
