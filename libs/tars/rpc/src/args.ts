// Argument and result blocks (RequestPacket/ResponsePacket sBuffer) encoded from a method
// descriptor: TARS (iVersion 1, values at their tags) and simple TUP (iVersion 3, UniAttribute
// map<string, vector<byte>> keyed by parameter name, each value encoded at tag 0).
import { TarsReader, TarsWriter, TarsDecodeError } from '@tars-ts/codec';
import type { MethodDescriptor, ParamDescriptor, ValueCodec } from './types.ts';

/** What we precompute once per method descriptor. */
interface MethodPlan {
  ins: ParamDescriptor[];
  outs: ParamDescriptor[];
  /** tag → index into ins (-1: not an in parameter). */
  inIndexByTag: Int16Array;
  /** tag → index into outs (-1: none). */
  outIndexByTag: Int16Array;
}

const plans = new WeakMap<MethodDescriptor, MethodPlan>();

function planOf(m: MethodDescriptor): MethodPlan {
  let plan = plans.get(m);
  if (plan) return plan;
  const ins: ParamDescriptor[] = [];
  const outs: ParamDescriptor[] = [];
  const inIndexByTag = new Int16Array(256).fill(-1);
  const outIndexByTag = new Int16Array(256).fill(-1);
  for (const p of m.params) {
    if (p.out) {
      outIndexByTag[p.tag] = outs.length;
      outs.push(p);
    } else {
      inIndexByTag[p.tag] = ins.length;
      ins.push(p);
    }
  }
  plan = { ins, outs, inIndexByTag, outIndexByTag };
  plans.set(m, plan);
  return plan;
}

/** Shape a proxy resolves to / a servant returns: the value alone, or { ret?, ...outs }. */
export function hasOuts(m: MethodDescriptor): boolean {
  return planOf(m).outs.length > 0;
}

// ---- TARS (iVersion 1) --------------------------------------------------------------------

/** Writes the in parameters at their tags (client request). */
export function writeTarsArgs(w: TarsWriter, m: MethodDescriptor, args: readonly unknown[]): void {
  const { ins } = planOf(m);
  for (let i = 0; i < ins.length; i++) {
    const p = ins[i];
    const v = args[i];
    p.write(w, p.tag, v === undefined ? p.empty() : v);
  }
}

/**
 * Reads the in parameters (server) into values[lead..]; the first `lead` slots are left for the
 * caller (the servant's `current`). Out parameters sent by C++ sync proxies are skipped.
 */
export function readTarsArgs(buf: Uint8Array, start: number, end: number, m: MethodDescriptor, lead = 0): unknown[] {
  const { ins, inIndexByTag } = planOf(m);
  const values = new Array<unknown>(lead + ins.length);
  let seen = 0;
  const r = new TarsReader(buf, start, end);
  while (r.nextField()) {
    const i = inIndexByTag[r.tag];
    if (i >= 0) {
      if (values[lead + i] === undefined) seen++;
      values[lead + i] = ins[i].read(r);
    } else {
      r.skipField();
    }
  }
  if (seen < ins.length) {
    for (let i = 0; i < ins.length; i++) {
      if (values[lead + i] === undefined) throw new TarsDecodeError(`${m.name}: parameter ${ins[i].name} (tag ${ins[i].tag}) missing`);
    }
  }
  return values;
}

/** Writes the result block: return value at tag 0, out parameters at their tags (server). */
export function writeTarsResult(w: TarsWriter, m: MethodDescriptor, result: unknown): void {
  const { outs } = planOf(m);
  if (outs.length === 0) {
    if (m.ret) m.ret.write(w, 0, result === undefined ? m.ret.empty() : result);
    return;
  }
  const obj = (result ?? {}) as Record<string, unknown>;
  if (m.ret) writeOrEmpty(w, 0, m.ret, obj.ret);
  for (const p of outs) writeOrEmpty(w, p.tag, p, obj[p.name]);
}

function writeOrEmpty(w: TarsWriter, tag: number, c: ValueCodec<unknown>, v: unknown): void {
  c.write(w, tag, v === undefined ? c.empty() : v);
}

/** Reads the result block (client). Missing values take their empty() default. */
export function readTarsResult(buf: Uint8Array, start: number, end: number, m: MethodDescriptor): unknown {
  return readTarsResultFrom(new TarsReader(buf, start, end), end, m);
}

/**
 * Reads a result block that lies at r.pos..end inside a larger packet (so one reader serves the
 * envelope and the result). Leaves r.pos at end; throws if the block does not end exactly there.
 */
export function readTarsResultFrom(r: TarsReader, end: number, m: MethodDescriptor): unknown {
  const { outs, outIndexByTag } = planOf(m);
  const ret = m.ret;
  let result: unknown;
  if (outs.length === 0) {
    let value: unknown = undefined;
    let found = false;
    while (r.pos < end && r.nextField()) {
      if (r.tag === 0 && ret) {
        value = ret.read(r);
        found = true;
      } else r.skipField();
    }
    result = ret && !found ? ret.empty() : value;
  } else {
    const obj: Record<string, unknown> = {};
    let retSeen = false;
    while (r.pos < end && r.nextField()) {
      const tag = r.tag;
      if (tag === 0 && ret) {
        obj.ret = ret.read(r);
        retSeen = true;
        continue;
      }
      const i = outIndexByTag[tag];
      if (i >= 0) obj[outs[i].name] = outs[i].read(r);
      else r.skipField();
    }
    if (ret && !retSeen) obj.ret = ret.empty();
    for (const p of outs) if (!(p.name in obj)) obj[p.name] = p.empty();
    result = orderResult(obj, m);
  }
  if (r.pos !== end) throw new TarsDecodeError(`${m.name}: result block overruns its ${end} end (at ${r.pos})`);
  return result;
}

/** Puts `ret` first and the outs in IDL order, for readable output and stable equality. */
function orderResult(obj: Record<string, unknown>, m: MethodDescriptor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.ret) out.ret = obj.ret;
  for (const p of planOf(m).outs) out[p.name] = obj[p.name];
  return out;
}

// ---- TUP simple (iVersion 3) --------------------------------------------------------------

const scratch = new TarsWriter(256);

function writeTupEntry(w: TarsWriter, name: string, c: ValueCodec<unknown>, v: unknown): void {
  scratch.reset();
  c.write(scratch, 0, v === undefined ? c.empty() : v);
  w.writeString(0, name);
  w.writeBytes(1, scratch.view());
}

/** UniAttribute with the in parameters by name (client request). */
export function writeTupArgs(w: TarsWriter, m: MethodDescriptor, args: readonly unknown[]): void {
  const { ins } = planOf(m);
  w.writeMapBegin(0, ins.length);
  for (let i = 0; i < ins.length; i++) writeTupEntry(w, ins[i].name, ins[i], args[i]);
}

/** Result UniAttribute: the return value under "" and "tars_ret" (as TarsCpp), outs by name. */
export function writeTupResult(w: TarsWriter, m: MethodDescriptor, result: unknown): void {
  const { outs } = planOf(m);
  const obj = outs.length ? ((result ?? {}) as Record<string, unknown>) : undefined;
  const retValue = obj ? obj.ret : result;
  w.writeMapBegin(0, (m.ret ? 2 : 0) + outs.length);
  if (m.ret) {
    writeTupEntry(w, '', m.ret, retValue);
    writeTupEntry(w, 'tars_ret', m.ret, retValue);
  }
  if (obj) for (const p of outs) writeTupEntry(w, p.name, p, obj[p.name]);
}

/** An empty UniAttribute (error replies still carry one). */
export function writeEmptyTup(w: TarsWriter): void {
  w.writeMapBegin(0, 0);
}

/** Reads a UniAttribute into name → encoded value (views into buf). */
export function readUniAttribute(buf: Uint8Array, start = 0, end = buf.length): Map<string, Buffer> {
  const r = new TarsReader(buf, start, end);
  const out = new Map<string, Buffer>();
  while (r.nextField()) {
    if (r.tag !== 0) {
      r.skipField();
      continue;
    }
    const n = r.readMapSize();
    for (let i = 0; i < n; i++) {
      r.expectElement(0);
      const key = r.readString();
      r.expectElement(1);
      out.set(key, r.readBytesView());
    }
  }
  return out;
}

function readTupValue(bytes: Buffer, c: ValueCodec<unknown>, name: string): unknown {
  const r = new TarsReader(bytes);
  while (r.nextField()) {
    if (r.tag === 0) return c.read(r);
    r.skipField();
  }
  throw new TarsDecodeError(`TUP value "${name}" has no field at tag 0`);
}

export function readTupArgs(buf: Uint8Array, start: number, end: number, m: MethodDescriptor, lead = 0): unknown[] {
  const { ins } = planOf(m);
  const attr = readUniAttribute(buf, start, end);
  const values = new Array<unknown>(lead + ins.length);
  for (let i = 0; i < ins.length; i++) {
    const p = ins[i];
    const bytes = attr.get(p.name);
    if (!bytes) throw new TarsDecodeError(`${m.name}: TUP parameter "${p.name}" missing`);
    values[lead + i] = readTupValue(bytes, p, p.name);
  }
  return values;
}

export function readTupResult(buf: Uint8Array, start: number, end: number, m: MethodDescriptor): unknown {
  const { outs } = planOf(m);
  const attr = readUniAttribute(buf, start, end);
  const retBytes = attr.get('') ?? attr.get('tars_ret');
  const ret = m.ret ? (retBytes ? readTupValue(retBytes, m.ret, 'tars_ret') : m.ret.empty()) : undefined;
  if (outs.length === 0) return ret;
  const obj: Record<string, unknown> = {};
  if (m.ret) obj.ret = ret;
  for (const p of outs) {
    const bytes = attr.get(p.name);
    obj[p.name] = bytes ? readTupValue(bytes, p, p.name) : p.empty();
  }
  return obj;
}
