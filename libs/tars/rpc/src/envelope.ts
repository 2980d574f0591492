// RequestPacket / ResponsePacket (tup/RequestF.tars) on the hot path, written straight into a
// batch writer and read without copying sBuffer. Layout facts: reference tars-protocol.md §3.2.
//
// sBuffer is written as SIMPLE_LIST with its size as INT32 (readers accept any int width), so the
// argument/result block is encoded in place and its size patched afterwards: no scratch copy.
import { isMap, TarsReader, TarsDecodeError, type TarsWriter } from '@tars-ts/codec';

const SIMPLE_LIST = 13;
const INT32 = 2;
const EMPTY: ReadonlyMap<string, string> = new Map();

const bytesHeads: Uint8Array[] = [];
for (let tag = 0; tag < 15; tag++) bytesHeads.push(Uint8Array.of((tag << 4) | SIMPLE_LIST, 0x00, INT32));

/** Reserves the 4-byte frame length; returns the frame's start offset. */
export function beginFrame(w: TarsWriter): number {
  return w.reserve(4);
}

/** Patches the frame length (it includes the 4 length bytes). */
export function endFrame(w: TarsWriter, frameStart: number): void {
  w.setUInt32BE(frameStart, w.length - frameStart);
}

/** Drops everything written after `length` (used to undo a half-written frame). */
export function truncateWriter(w: TarsWriter, length: number): void {
  const keep = Buffer.from(w.view().subarray(0, length));
  w.reset();
  w.writeRaw(keep);
}

/** Opens a vector<byte> field (tag < 15) whose content the caller writes next; returns the size offset. */
export function beginBytes(w: TarsWriter, tag: number): number {
  w.writeRaw(bytesHeads[tag]);
  return w.reserve(4);
}

export function endBytes(w: TarsWriter, sizeAt: number): void {
  w.setUInt32BE(sizeAt, w.length - sizeAt - 4);
}

export type StringMapLike = ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined;

/** Writes map<string,string> from a Map or a plain object. */
export function writeStringMap(w: TarsWriter, tag: number, m: StringMapLike): void {
  if (!m) {
    w.writeMapBegin(tag, 0);
  } else if (isMap(m)) {
    w.writeMapBegin(tag, m.size);
    for (const [k, v] of m) {
      w.writeString(0, k);
      w.writeString(1, v);
    }
  } else {
    const keys = Object.keys(m);
    w.writeMapBegin(tag, keys.length);
    for (const k of keys) {
      w.writeString(0, k);
      w.writeString(1, String((m as Record<string, string>)[k]));
    }
  }
}

function readStringMap(r: TarsReader): ReadonlyMap<string, string> {
  const n = r.readMapSize();
  if (n === 0) return EMPTY;
  const m = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    r.expectElement(0);
    const k = r.readString();
    r.expectElement(1);
    m.set(k, r.readString());
  }
  return m;
}

/**
 * Skips a vector<byte> (SIMPLE_LIST) under the current head without copying or slicing; returns
 * where its bytes start (they end at r.pos). Only public reader API: element head, size, pos.
 */
export function skipBytes(r: TarsReader): number {
  if (r.type !== SIMPLE_LIST) {
    // a LIST of bytes is legal too (C++ accepts it): take the copying path
    return -1;
  }
  r.expectElement(0);
  if ((r.type as number) !== 0) throw new TarsDecodeError(`SIMPLE_LIST element type ${r.type} is not INT8`, { offset: r.pos, tag: r.tag });
  r.expectElement(0);
  const n = r.readInt32();
  const start = r.pos;
  if (n < 0 || n > r.end - start) throw new TarsDecodeError(`vector<byte> of ${n} bytes overruns the packet`, { offset: start, tag: r.tag });
  r.pos = start + n;
  return start;
}

/** A decoded RequestPacket. The argument block is buf[bodyStart, bodyEnd) (no copy). */
export interface RequestHead {
  version: number;
  packetType: number;
  messageType: number;
  requestId: number;
  servantName: string;
  funcName: string;
  /** The packet the request was decoded from; the argument block is buf[bodyStart, bodyEnd). */
  buf: Buffer;
  bodyStart: number;
  bodyEnd: number;
  timeout: number;
  context: ReadonlyMap<string, string>;
  status: ReadonlyMap<string, string>;
}

/** Decodes a RequestPacket from buf[start, end). Throws TarsDecodeError on malformed input. */
export function decodeRequest(buf: Buffer, start: number, end: number): RequestHead {
  const r = new TarsReader(buf, start, end);
  const h: RequestHead = {
    version: -1,
    packetType: 0,
    messageType: 0,
    requestId: 0,
    servantName: '',
    funcName: '',
    buf,
    bodyStart: start,
    bodyEnd: start,
    timeout: 0,
    context: EMPTY,
    status: EMPTY,
  };
  let seen = 0;
  while (r.nextField()) {
    switch (r.tag) {
      case 1: h.version = r.readInt16(); break;
      case 2: h.packetType = r.readInt8(); break;
      case 3: h.messageType = r.readInt32(); break;
      case 4: h.requestId = r.readInt32(); seen |= 1; break;
      case 5: h.servantName = r.readString(); seen |= 2; break;
      case 6: h.funcName = r.readString(); seen |= 4; break;
      case 7: readBody(r, h); break;
      case 8: h.timeout = r.readInt32(); break;
      case 9: h.context = readStringMap(r); break;
      case 10: h.status = readStringMap(r); break;
      default: r.skipField();
    }
  }
  if (h.version < 0) throw new TarsDecodeError('RequestPacket: iVersion (tag 1) missing');
  if (seen !== 7) throw new TarsDecodeError('RequestPacket: iRequestId, sServantName or sFuncName missing');
  return h;
}

/** Stores where the vector<byte> under the current head lies (copying only a LIST-encoded one). */
function readBody(r: TarsReader, h: { buf: Buffer; bodyStart: number; bodyEnd: number }): void {
  const start = skipBytes(r);
  if (start >= 0) {
    h.bodyStart = start;
    h.bodyEnd = r.pos;
  } else {
    const copy = r.readBytes();
    h.buf = copy;
    h.bodyStart = 0;
    h.bodyEnd = copy.length;
  }
}

/** What a client needs from a reply, whichever shape it came in. */
export interface ResponseHead {
  version: number;
  requestId: number;
  ret: number;
  /** The result block is buf[bodyStart, bodyEnd). */
  buf: Buffer;
  bodyStart: number;
  bodyEnd: number;
  resultDesc: string;
  context: ReadonlyMap<string, string>;
  status: ReadonlyMap<string, string>;
}

/**
 * Decodes a reply: a ResponsePacket for iVersion 1/5, a RequestPacket-shaped packet for TUP
 * (iVersion 2/3) whose result code travels in status STATUS_RESULT_CODE/DESC.
 */
export function decodeResponse(buf: Buffer, start: number, end: number): ResponseHead {
  const r = new TarsReader(buf, start, end);
  const h: ResponseHead = { version: -1, requestId: 0, ret: 0, buf, bodyStart: start, bodyEnd: start, resultDesc: '', context: EMPTY, status: EMPTY };
  if (!r.nextField() || r.tag !== 1) throw new TarsDecodeError('reply: iVersion (tag 1) missing');
  h.version = r.readInt16();
  const tup = h.version === 2 || h.version === 3;
  let seen = false;
  while (r.nextField()) {
    const tag: number = r.tag; // (not narrowed by the tag-1 check above)
    if (tup) {
      if (tag === 4) { h.requestId = r.readInt32(); seen = true; }
      else if (tag === 7) readBody(r, h);
      else if (tag === 9) h.context = readStringMap(r);
      else if (tag === 10) h.status = readStringMap(r);
      else r.skipField();
    } else {
      if (tag === 3) { h.requestId = r.readInt32(); seen = true; }
      else if (tag === 5) h.ret = r.readInt32();
      else if (tag === 6) readBody(r, h);
      else if (tag === 7) h.status = readStringMap(r);
      else if (tag === 8) h.resultDesc = r.readString();
      else if (tag === 9) h.context = readStringMap(r);
      else r.skipField();
    }
  }
  if (!seen) throw new TarsDecodeError('reply: iRequestId missing');
  if (tup) {
    const code = h.status.get('STATUS_RESULT_CODE');
    h.ret = code ? Number.parseInt(code, 10) || 0 : 0;
    h.resultDesc = h.status.get('STATUS_RESULT_DESC') ?? '';
  }
  return h;
}
