// tup/RequestF.tars (module tars), hand-written on the writer/reader in the generated shape.
// Note the tag orders differ: iRequestId is tag 4 in a request and tag 3 in a response.
import { TarsDecodeError } from './errors.ts';
import { TarsReader } from './reader.ts';
import { TarsWriter } from './writer.ts';

export interface RequestPacket {
  iVersion: number;
  cPacketType: number;
  iMessageType: number;
  iRequestId: number;
  sServantName: string;
  sFuncName: string;
  /** Argument block (TARS: tags 1..n; TUP: encoded UniAttribute; JSON: UTF-8 JSON). */
  sBuffer: Buffer;
  iTimeout: number;
  context: Map<string, string>;
  status: Map<string, string>;
}

export interface ResponsePacket {
  iVersion: number;
  cPacketType: number;
  iRequestId: number;
  iMessageType: number;
  iRet: number;
  /** Result block: return value at tag 0, out-parameters at their positional tags. */
  sBuffer: Buffer;
  status: Map<string, string>;
  sResultDesc: string;
  context: Map<string, string>;
}

const EMPTY = Buffer.alloc(0);

export function writeStringMap(w: TarsWriter, tag: number, m: ReadonlyMap<string, string>): void {
  w.writeMapBegin(tag, m.size);
  for (const [k, v] of m) {
    w.writeString(0, k);
    w.writeString(1, v);
  }
}

/** Reads a map<string,string> whose MAP head was just read. */
export function readStringMap(r: TarsReader): Map<string, string> {
  const n = r.readMapSize();
  const m = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    r.expectElement(0);
    const k = r.readString();
    r.expectElement(1);
    m.set(k, r.readString());
  }
  return m;
}

function missing(struct: string, field: string, tag: number): never {
  throw new TarsDecodeError(`${struct}: required field ${field} missing`, { tag });
}

// One scratch writer for encode(): encoding is synchronous, so it is never shared in flight.
const SCRATCH_KEEP = 1 << 20;
let scratch = new TarsWriter(4096);

function writerFor(w: TarsWriter | undefined, sBuffer: Uint8Array): TarsWriter {
  const out = w ?? scratch;
  // Resetting the writer that holds sBuffer would overwrite it while it is being copied.
  if (sBuffer.length > 0 && out.owns(sBuffer)) {
    if (w) throw new RangeError('encodeFrame: sBuffer is a view of the writer passed to encode into; use another writer');
    scratch = new TarsWriter(4096);
    return scratch;
  }
  return out.reset();
}

function finish(w: TarsWriter, frameAt: number): Buffer {
  if (frameAt >= 0) w.setUInt32BE(frameAt, w.length - frameAt);
  const out = w.toBuffer();
  // Don't let one huge message pin a huge scratch buffer for the life of the process.
  if (w === scratch && w.capacity > SCRATCH_KEEP) scratch = new TarsWriter(4096);
  return out;
}

export const RequestPacket = {
  tarsName: 'tars.RequestPacket',

  create(init?: Partial<RequestPacket>): RequestPacket {
    return {
      iVersion: 1,
      cPacketType: 0,
      iMessageType: 0,
      iRequestId: 0,
      sServantName: '',
      sFuncName: '',
      sBuffer: EMPTY,
      iTimeout: 0,
      context: new Map(),
      status: new Map(),
      ...init,
    };
  },

  /** Writes the fields at top level (no struct head): the form that goes into a frame. */
  writeFields(w: TarsWriter, v: RequestPacket): void {
    w.writeInt16(1, v.iVersion);
    w.writeInt8(2, v.cPacketType);
    w.writeInt32(3, v.iMessageType);
    w.writeInt32(4, v.iRequestId);
    w.writeString(5, v.sServantName);
    w.writeString(6, v.sFuncName);
    w.writeBytes(7, v.sBuffer);
    w.writeInt32(8, v.iTimeout);
    writeStringMap(w, 9, v.context);
    writeStringMap(w, 10, v.status);
  },

  write(w: TarsWriter, tag: number, v: RequestPacket): void {
    w.writeStructBegin(tag);
    RequestPacket.writeFields(w, v);
    w.writeStructEnd();
  },

  /** Reads fields until the end of the range or the STRUCT_END of an entered struct. */
  readFields(r: TarsReader): RequestPacket {
    const v = RequestPacket.create();
    let seen = 0;
    while (r.nextField()) {
      const tag = r.tag;
      switch (tag) {
        case 1: v.iVersion = r.readInt16(); break;
        case 2: v.cPacketType = r.readInt8(); break;
        case 3: v.iMessageType = r.readInt32(); break;
        case 4: v.iRequestId = r.readInt32(); break;
        case 5: v.sServantName = r.readString(); break;
        case 6: v.sFuncName = r.readString(); break;
        case 7: v.sBuffer = r.readBytesView(); break;
        case 8: v.iTimeout = r.readInt32(); break;
        case 9: v.context = readStringMap(r); break;
        case 10: v.status = readStringMap(r); break;
        default: r.skipField(); continue;
      }
      seen |= 1 << tag;
    }
    if ((seen & 0x7fe) !== 0x7fe) {
      const names = ['', 'iVersion', 'cPacketType', 'iMessageType', 'iRequestId', 'sServantName', 'sFuncName', 'sBuffer', 'iTimeout', 'context', 'status'];
      for (let t = 1; t <= 10; t++) if (!(seen & (1 << t))) missing('RequestPacket', names[t], t);
    }
    return v;
  },

  /** Value under the current STRUCT_BEGIN head. */
  read(r: TarsReader): RequestPacket {
    r.beginStruct();
    return RequestPacket.readFields(r);
  },

  encode(v: RequestPacket): Buffer {
    const w = writerFor(undefined, v.sBuffer);
    RequestPacket.writeFields(w, v);
    return finish(w, -1);
  },

  /** sBuffer of the result shares memory with buf (no copy). */
  decode(buf: Uint8Array): RequestPacket {
    return RequestPacket.readFields(new TarsReader(buf));
  },

  /** Length-prefixed frame in one pass; `writer` (reset first) lets a caller reuse its own buffer. */
  /**
   * Appends a complete frame (length prefix + packet) at the writer's current position, without
   * resetting or copying: several frames can be batched into one writer and sent with one write.
   */
  writeFrame(w: TarsWriter, v: RequestPacket): void {
    if (v.sBuffer.length > 0 && w.owns(v.sBuffer)) throw new RangeError('writeFrame: sBuffer is a view of the writer being written to');
    const at = w.reserve(4);
    RequestPacket.writeFields(w, v);
    w.setUInt32BE(at, w.length - at);
  },

  encodeFrame(v: RequestPacket, writer?: TarsWriter): Buffer {
    const w = writerFor(writer, v.sBuffer);
    const at = w.reserve(4);
    RequestPacket.writeFields(w, v);
    return finish(w, at);
  },
};

export const ResponsePacket = {
  tarsName: 'tars.ResponsePacket',

  create(init?: Partial<ResponsePacket>): ResponsePacket {
    return {
      iVersion: 1,
      cPacketType: 0,
      iRequestId: 0,
      iMessageType: 0,
      iRet: 0,
      sBuffer: EMPTY,
      status: new Map(),
      sResultDesc: '',
      context: new Map(),
      ...init,
    };
  },

  writeFields(w: TarsWriter, v: ResponsePacket): void {
    w.writeInt16(1, v.iVersion);
    w.writeInt8(2, v.cPacketType);
    w.writeInt32(3, v.iRequestId);
    w.writeInt32(4, v.iMessageType);
    w.writeInt32(5, v.iRet);
    w.writeBytes(6, v.sBuffer);
    writeStringMap(w, 7, v.status);
    // Optional fields written even when empty, as @tars/rpc does (C++ readers accept either).
    w.writeString(8, v.sResultDesc);
    writeStringMap(w, 9, v.context);
  },

  write(w: TarsWriter, tag: number, v: ResponsePacket): void {
    w.writeStructBegin(tag);
    ResponsePacket.writeFields(w, v);
    w.writeStructEnd();
  },

  readFields(r: TarsReader): ResponsePacket {
    const v = ResponsePacket.create();
    let seen = 0;
    while (r.nextField()) {
      const tag = r.tag;
      switch (tag) {
        case 1: v.iVersion = r.readInt16(); break;
        case 2: v.cPacketType = r.readInt8(); break;
        case 3: v.iRequestId = r.readInt32(); break;
        case 4: v.iMessageType = r.readInt32(); break;
        case 5: v.iRet = r.readInt32(); break;
        case 6: v.sBuffer = r.readBytesView(); break;
        case 7: v.status = readStringMap(r); break;
        case 8: v.sResultDesc = r.readString(); break;
        case 9: v.context = readStringMap(r); break;
        default: r.skipField(); continue;
      }
      seen |= 1 << tag;
    }
    if ((seen & 0xfe) !== 0xfe) {
      const names = ['', 'iVersion', 'cPacketType', 'iRequestId', 'iMessageType', 'iRet', 'sBuffer', 'status'];
      for (let t = 1; t <= 7; t++) if (!(seen & (1 << t))) missing('ResponsePacket', names[t], t);
    }
    return v;
  },

  read(r: TarsReader): ResponsePacket {
    r.beginStruct();
    return ResponsePacket.readFields(r);
  },

  encode(v: ResponsePacket): Buffer {
    const w = writerFor(undefined, v.sBuffer);
    ResponsePacket.writeFields(w, v);
    return finish(w, -1);
  },

  /** sBuffer of the result shares memory with buf (no copy). */
  decode(buf: Uint8Array): ResponsePacket {
    return ResponsePacket.readFields(new TarsReader(buf));
  },

  /**
   * Appends a complete frame (length prefix + packet) at the writer's current position, without
   * resetting or copying: several frames can be batched into one writer and sent with one write.
   */
  writeFrame(w: TarsWriter, v: ResponsePacket): void {
    if (v.sBuffer.length > 0 && w.owns(v.sBuffer)) throw new RangeError('writeFrame: sBuffer is a view of the writer being written to');
    const at = w.reserve(4);
    ResponsePacket.writeFields(w, v);
    w.setUInt32BE(at, w.length - at);
  },

  encodeFrame(v: ResponsePacket, writer?: TarsWriter): Buffer {
    const w = writerFor(writer, v.sBuffer);
    const at = w.reserve(4);
    ResponsePacket.writeFields(w, v);
    return finish(w, at);
  },
};
