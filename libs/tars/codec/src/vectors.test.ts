// Byte-exact vectors from reference/tars-protocol.md §3.4 (produced there by @tars/rpc).
import { describe, expect, it } from 'vitest';
import { FrameDecoder, RequestPacket, ResponsePacket, TarsReader, TarsWriter } from './index.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string) => Buffer.from(s, 'latin1').toString('hex');

const requestFrame = hex(
  '00000072' + '1001' + '2c' + '3c' + '4002' +
    '561a' + ascii('tars.tarsregistry.QueryObj') +
    '660e' + ascii('findObjectById') +
    '7d00001b' + '1619' + ascii('Test.HelloServer.HelloObj') +
    '810bb8' +
    '98000106' + '09' + ascii('node_name') + '1608' + ascii('10.0.0.5') +
    'a80c',
);

const replyArgs = hex(
  '090001' + '0a' + '0608' + ascii('10.0.0.9') + '114e21' + '220000ea60' + '3001' +
    '4c5c6c' + '7600' + '8c9cbccc' + '0b',
);
const replyFrame = hex('00000037' + '1001' + '2c' + '3002' + '4c' + '5c' + '6d000022') ;
const replyFrameFull = Buffer.concat([replyFrame, replyArgs, hex('780c' + '8600' + '980c')]);

describe('reference vectors', () => {
  it('encodes QueryF.findObjectById exactly as @tars/rpc does', () => {
    const args = new TarsWriter();
    args.writeString(1, 'Test.HelloServer.HelloObj');
    const frame = RequestPacket.encodeFrame(
      RequestPacket.create({
        iVersion: 1,
        iRequestId: 2,
        sServantName: 'tars.tarsregistry.QueryObj',
        sFuncName: 'findObjectById',
        sBuffer: args.toBuffer(),
        iTimeout: 3000,
        context: new Map([['node_name', '10.0.0.5']]),
      }),
    );
    expect(frame.length).toBe(114);
    expect(frame.toString('hex')).toBe(requestFrame.toString('hex'));
  });

  it('decodes that request frame', () => {
    const packets: Buffer[] = [];
    new FrameDecoder().push(requestFrame, (p) => packets.push(p));
    expect(packets).toHaveLength(1);
    const req = RequestPacket.decode(packets[0]);
    expect(req).toMatchObject({
      iVersion: 1, cPacketType: 0, iMessageType: 0, iRequestId: 2,
      sServantName: 'tars.tarsregistry.QueryObj', sFuncName: 'findObjectById', iTimeout: 3000,
    });
    expect([...req.context]).toEqual([['node_name', '10.0.0.5']]);
    expect(req.status.size).toBe(0);
    const r = new TarsReader(req.sBuffer);
    expect(r.nextField()).toBe(true);
    expect(r.tag).toBe(1);
    expect(r.readString()).toBe('Test.HelloServer.HelloObj');
    expect(r.nextField()).toBe(false);
  });

  it('encodes the findObjectById reply (ResponsePacket, one EndpointF) byte for byte', () => {
    const w = new TarsWriter();
    w.writeListBegin(0, 1);
    w.writeStructBegin(0);
    w.writeString(0, '10.0.0.9');
    w.writeInt32(1, 20001);
    w.writeInt32(2, 60000);
    w.writeInt32(3, 1);
    for (const t of [4, 5, 6]) w.writeInt32(t, 0);
    w.writeString(7, '');
    for (const t of [8, 9, 11, 12]) w.writeInt32(t, 0);
    w.writeStructEnd();
    expect(w.view().toString('hex')).toBe(replyArgs.toString('hex'));

    const frame = ResponsePacket.encodeFrame(ResponsePacket.create({ iVersion: 1, iRequestId: 2, sBuffer: w.toBuffer() }));
    expect(frame.length).toBe(0x37);
    expect(frame.toString('hex')).toBe(replyFrameFull.toString('hex'));
  });

  it('decodes that reply, skipping the EndpointF fields it does not ask for', () => {
    const rsp = ResponsePacket.decode(replyFrameFull.subarray(4));
    expect(rsp).toMatchObject({ iVersion: 1, iRequestId: 2, iRet: 0, sResultDesc: '' });
    const r = new TarsReader(rsp.sBuffer);
    r.nextField();
    expect(r.tag).toBe(0);
    const n = r.readListSize();
    expect(n).toBe(1);
    r.expectElement(0);
    r.beginStruct();
    const ep = { host: '', port: 0 };
    while (r.nextField()) {
      switch (r.tag) {
        case 0: ep.host = r.readString(); break;
        case 1: ep.port = r.readInt32(); break;
        default: r.skipField();
      }
    }
    expect(ep).toEqual({ host: '10.0.0.9', port: 20001 });
    expect(r.done).toBe(true);
  });
});

describe('envelope writers', () => {
  it('refuses to encode into the writer that holds sBuffer, and copes when that writer is the scratch one', () => {
    const w = new TarsWriter();
    w.writeInt32(1, 42);
    const p = RequestPacket.create({ sFuncName: 'f', sBuffer: w.view() });
    expect(() => RequestPacket.encodeFrame(p, w)).toThrow(/sBuffer is a view of the writer/);
    const viaOther = RequestPacket.encodeFrame(p, new TarsWriter(8));
    expect(RequestPacket.decode(viaOther.subarray(4)).sBuffer.toString('hex')).toBe('102a');
  });

  it('encode() returns independent copies', () => {
    const a = ResponsePacket.encode(ResponsePacket.create({ iRequestId: 1 }));
    const b = ResponsePacket.encode(ResponsePacket.create({ iRequestId: 2 }));
    expect(ResponsePacket.decode(a).iRequestId).toBe(1);
    expect(ResponsePacket.decode(b).iRequestId).toBe(2);
  });
});

describe('writeFrame', () => {
  it('batches several frames into one writer, each decodable by FrameDecoder', () => {
    const w = new TarsWriter(16);
    w.writeRaw(Buffer.from('zz'));
    for (let id = 1; id <= 3; id++) RequestPacket.writeFrame(w, RequestPacket.create({ iRequestId: id, sFuncName: `f${id}` }));
    ResponsePacket.writeFrame(w, ResponsePacket.create({ iRequestId: 9, iRet: -3 }));
    const frames: Buffer[] = [];
    new FrameDecoder().push(w.toBuffer().subarray(2), (p) => frames.push(p));
    expect(frames.slice(0, 3).map((p) => RequestPacket.decode(p).sFuncName)).toEqual(['f1', 'f2', 'f3']);
    expect(frames).toHaveLength(4);
    expect(ResponsePacket.decode(frames[3])).toMatchObject({ iRequestId: 9, iRet: -3 });
  });
});
