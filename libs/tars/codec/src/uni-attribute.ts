// TUP simple (iVersion 3): sBuffer = map<string, vector<byte>> at tag 0; each value is one
// parameter encoded on its own at tag 0. A TUP reply is RequestPacket-shaped and carries its
// result code in status (STATUS_RESULT_CODE, absent = 0) and STATUS_RESULT_DESC.
import { TarsDecodeError } from './errors.ts';
import { TarsReader } from './reader.ts';
import { STATUS_RESULT_CODE, STATUS_RESULT_DESC, TarsType } from './types.ts';
import { TarsWriter } from './writer.ts';

/** How to write/read one value at a given tag (what generated ValueCodecs provide). */
export interface TupValueWriter<T> {
  write(w: TarsWriter, tag: number, v: T): void;
}
export interface TupValueReader<T> {
  /** Reads the value under the current head. */
  read(r: TarsReader): T;
}

export class UniAttribute {
  /** Parameter name -> that parameter's encoding (value at tag 0). */
  readonly data = new Map<string, Buffer>();

  set(name: string, encoded: Uint8Array): this {
    this.data.set(name, Buffer.isBuffer(encoded) ? encoded : Buffer.from(encoded));
    return this;
  }

  get(name: string): Buffer | undefined {
    return this.data.get(name);
  }

  has(name: string): boolean {
    return this.data.has(name);
  }

  /** Encodes value at tag 0 with the given codec and stores it under name. */
  put<T>(name: string, codec: TupValueWriter<T>, value: T, writer: TarsWriter = new TarsWriter(64)): this {
    writer.reset();
    codec.write(writer, 0, value);
    this.data.set(name, writer.toBuffer());
    return this;
  }

  /** Decodes the value stored under name (undefined when absent). */
  take<T>(name: string, codec: TupValueReader<T>): T | undefined {
    const bytes = this.data.get(name);
    if (bytes === undefined) return undefined;
    const r = new TarsReader(bytes);
    if (!r.nextField() || r.tag !== 0) {
      throw new TarsDecodeError(`TUP value "${name}" is not encoded at tag 0`, { tag: r.tag });
    }
    return codec.read(r);
  }

  /** The map<string, vector<byte>> at tag 0, ready to go into sBuffer. */
  encode(writer: TarsWriter = new TarsWriter(256)): Buffer {
    writer.reset();
    writer.writeMapBegin(0, this.data.size);
    for (const [k, v] of this.data) {
      writer.writeString(0, k);
      writer.writeBytes(1, v);
    }
    return writer.toBuffer();
  }

  /** Parses a TUP sBuffer. Values are copied, so the result outlives buf. */
  static decode(buf: Uint8Array): UniAttribute {
    const u = new UniAttribute();
    const r = new TarsReader(buf);
    if (r.done) return u; // an absent map decodes as empty, as in C++ (optional read)
    r.nextField();
    if (r.tag !== 0 || r.type !== TarsType.MAP) {
      throw new TarsDecodeError('TUP attribute map missing', { offset: r.pos, tag: r.tag, expected: 'MAP at tag 0', actual: r.type });
    }
    const n = r.readMapSize();
    for (let i = 0; i < n; i++) {
      r.expectElement(0);
      const k = r.readString();
      r.expectElement(1);
      u.data.set(k, r.readBytes());
    }
    return u;
  }
}

/** Result code of a TUP reply: status STATUS_RESULT_CODE, 0 when absent. */
export function tupResultCode(status: ReadonlyMap<string, string>): number {
  const s = status.get(STATUS_RESULT_CODE);
  if (s === undefined || s === '') return 0;
  const n = Number(s);
  return Number.isInteger(n) ? n : -1;
}

export function tupResultDesc(status: ReadonlyMap<string, string>): string {
  return status.get(STATUS_RESULT_DESC) ?? '';
}
