// Encodes one reply frame into a connection's batch writer: a ResponsePacket, or for TUP
// (iVersion 3) a RequestPacket-shaped packet with STATUS_RESULT_CODE/DESC (reference §3.3).
import type { TarsWriter } from '@tars-ts/codec';
import { beginBytes, beginFrame, endBytes, endFrame, truncateWriter, writeStringMap, type RequestHead } from '../envelope.ts';
import { writeEmptyTup, writeTarsResult, writeTupResult } from '../args.ts';
import { STATUS_RESULT_CODE, STATUS_RESULT_DESC, TarsCode, TUPVERSION } from '../codes.ts';
import type { MethodDescriptor } from '../types.ts';

function body(
  w: TarsWriter,
  h: RequestHead,
  ret: number,
  desc: string,
  m: MethodDescriptor | undefined,
  result: unknown,
  ctx: ReadonlyMap<string, string> | undefined,
): void {
  if (h.version === TUPVERSION) {
    w.writeInt16(1, h.version);
    w.writeInt8(2, 0);
    w.writeInt32(3, h.messageType);
    w.writeInt32(4, h.requestId);
    w.writeString(5, h.servantName);
    w.writeString(6, h.funcName);
    const b = beginBytes(w, 7);
    if (m && ret === 0) writeTupResult(w, m, result);
    else writeEmptyTup(w);
    endBytes(w, b);
    w.writeInt32(8, 0);
    writeStringMap(w, 9, ctx);
    w.writeMapBegin(10, 2);
    w.writeString(0, STATUS_RESULT_CODE);
    w.writeString(1, String(ret));
    w.writeString(0, STATUS_RESULT_DESC);
    w.writeString(1, desc);
    return;
  }
  w.writeInt16(1, h.version);
  w.writeInt8(2, 0);
  w.writeInt32(3, h.requestId);
  w.writeInt32(4, h.messageType);
  w.writeInt32(5, ret);
  const b = beginBytes(w, 6);
  if (m && ret === 0) writeTarsResult(w, m, result);
  endBytes(w, b);
  w.writeMapBegin(7, 0);
  if (desc) w.writeString(8, desc);
  if (ctx && ctx.size > 0) writeStringMap(w, 9, ctx);
}

/**
 * Appends a reply frame. If the servant's result cannot be encoded, the half-written frame is
 * removed and a -2 (encode error) reply takes its place; returns that error's message then.
 */
export function writeReply(
  w: TarsWriter,
  h: RequestHead,
  ret: number,
  desc: string,
  m: MethodDescriptor | undefined,
  result: unknown,
  ctx: ReadonlyMap<string, string> | undefined,
): string | undefined {
  const f = beginFrame(w);
  try {
    body(w, h, ret, desc, m, result, ctx);
  } catch (e) {
    truncateWriter(w, f);
    const why = `encode error in ${h.funcName}: ${(e as Error).message}`;
    const f2 = beginFrame(w);
    body(w, h, TarsCode.SERVER_ENCODE_ERR, why, undefined, undefined, undefined);
    endFrame(w, f2);
    return why;
  }
  endFrame(w, f);
  return undefined;
}
