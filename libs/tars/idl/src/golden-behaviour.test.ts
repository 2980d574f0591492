// What the golden output does when it runs (its text is pinned by generator.test.ts).
import { ArrayMap, TarsDecodeError, TarsReader, TarsWriter } from '@tars-ts/codec';
import { servantDescriptor, type CallOptions, type Current, type Invoker, type MethodDescriptor } from '@tars-ts/rpc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Color, Point } from '../golden/output/Base.ts';
import {
  AllTypes,
  Defaults,
  DemoDescriptor,
  DemoProxy,
  DemoServant,
  Empty,
  FAVOURITE,
  GREETING,
  HUGE,
  Level,
  SMALL,
  Wide,
} from '../golden/output/Golden.ts';
import { Holder } from '../golden/output/sub/Child.ts';
import * as goldenIndex from '../golden/output/index.ts';

function allTypes(): AllTypes {
  return {
    b: true,
    i8: -128,
    i16: 32767,
    i32: -2147483648,
    i64: -(2n ** 63n),
    f32: 0.5,
    f64: -1e300,
    s: 'héllo, 世界'.repeat(30),
    u8: 255,
    u16: 65535,
    u32: 4294967295,
    bytes: Buffer.from([0, 1, 2, 255]),
    ints: [0, 1, -1, 2 ** 31 - 1],
    strings: ['', 'a'],
    dict: new Map([['k', 'v'], ['', '']]),
    nested: new Map([[7, [1n, 2n ** 62n]], [-1, []]]),
    point: { x: 1, y: 2, label: 'p' },
    points: [{ x: 3, y: 4, label: '' }],
    byPoint: new Map([[{ x: 5, y: 6, label: 'k' }, 'five-six']]),
    level: Level.HIGHER,
    levels: [Level.NEG, Level.LOW],
    blobs: [Buffer.alloc(0), Buffer.from('xyz')],
    deep: new Map([['a', new Map([['b', [1.5, -0.25]]])]]),
    flags: [false, true],
  };
}

function wideWithout(skipTag: number): Buffer {
  const w = new TarsWriter();
  for (let t = 0; t <= 32; t++) if (t !== skipTag) w.writeInt32(t, t);
  if (skipTag !== 200) w.writeString(200, 'end');
  return w.toBuffer();
}

describe('generated structs', () => {
  it('encode fields in tag order with the narrowest heads', () => {
    expect(Point.encode({ x: 1, y: 300, label: 'a' }).toString('hex')).toBe('0001' + '11012c' + '260161');
    const w = new TarsWriter();
    Point.write(w, 3, { x: 0, y: 0, label: '' });
    expect(w.toBuffer().toString('hex')).toBe('3a' + '0c' + '1c' + '2600' + '0b');
  });

  it('round-trip every type, including extremes, nested containers and struct map keys', () => {
    const v = allTypes();
    const back = AllTypes.decode(AllTypes.encode(v));
    expect(back).toEqual(v);
    expect(Buffer.isBuffer(back.bytes)).toBe(true);
    expect(back.byPoint).toBeInstanceOf(ArrayMap); // decoded maps are ArrayMaps (ADR 0011)
    expect([...back.byPoint]).toEqual([[{ x: 5, y: 6, label: 'k' }, 'five-six']]);
  });

  it('encode results are independent copies, also around a large message', () => {
    const a = Point.encode({ x: 1, y: 2, label: 'first' });
    const copyOfA = Buffer.from(a);
    const big = AllTypes.encode({ ...allTypes(), bytes: Buffer.alloc(100_000, 7) });
    const b = Point.encode({ x: 3, y: 4, label: 'second' });
    expect(a).toEqual(copyOfA);
    expect(Point.decode(b)).toEqual({ x: 3, y: 4, label: 'second' });
    expect(AllTypes.decode(big).bytes.length).toBe(100_000);
    expect(() => Point.encode({ x: 2 ** 31, y: 0, label: '' })).toThrow(RangeError);
    expect(Point.decode(Point.encode({ x: 5, y: 6, label: 'after a failed encode' })).label).toBe('after a failed encode');
  });

  it('read a struct nested under a head and leave the reader after it', () => {
    const w = new TarsWriter();
    AllTypes.write(w, 9, allTypes());
    w.writeInt32(10, 77);
    const r = new TarsReader(w.toBuffer());
    expect(r.nextField()).toBe(true);
    expect(r.tag).toBe(9);
    expect(AllTypes.read(r)).toEqual(allTypes());
    expect(r.nextField()).toBe(true);
    expect([r.tag, r.readInt32()]).toEqual([10, 77]);
  });

  it('create() applies IDL defaults and init overrides', () => {
    expect(Defaults.create()).toEqual({
      on: true,
      count: -7,
      total: -(2n ** 63n),
      name: 'anon',
      level: Level.HIGH,
      color: Color.DARK,
      ratio: 2.5,
      where: { x: 0, y: 0, label: 'origin' },
      list: [],
      table: new Map(),
      raw: Buffer.alloc(0),
      plainColor: Color.RED,
      big: 4294967295,
    });
    expect(Defaults.create({ count: 1 }).count).toBe(1);
    const a = Defaults.create();
    const b = Defaults.create();
    a.list.push(1);
    expect(b.list).toEqual([]);
    expect(Empty.create()).toEqual({});
  });

  it('missing optional fields decode to their defaults', () => {
    expect(Defaults.decode(Buffer.alloc(0))).toEqual(Defaults.create());
    const w = new TarsWriter();
    w.writeInt32(2, 99);
    expect(Defaults.decode(w.toBuffer())).toEqual(Defaults.create({ count: 99 }));
  });

  it('a missing required field fails with its name and tag', () => {
    const w = new TarsWriter();
    w.writeInt32(0, 1);
    const err = (() => {
      try {
        Point.decode(w.toBuffer());
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TarsDecodeError);
    expect((err as TarsDecodeError).message).toBe('base.Point: required field y is missing (tag 1)');
    expect((err as TarsDecodeError).tag).toBe(1);
  });

  it('checks required fields beyond 31 (second mask word) and at tags above 14', () => {
    expect(Wide.decode(wideWithout(-1)).last).toBe('end');
    expect(() => Wide.decode(wideWithout(5))).toThrow('golden.Wide: required field f5 is missing');
    expect(() => Wide.decode(wideWithout(30))).toThrow('golden.Wide: required field f30 is missing');
    expect(() => Wide.decode(wideWithout(31))).toThrow('golden.Wide: required field f31 is missing');
    expect(() => Wide.decode(wideWithout(32))).toThrow('golden.Wide: required field f32 is missing');
    expect(() => Wide.decode(wideWithout(200))).toThrow('golden.Wide: required field last is missing');
    expect(Wide.decode(wideWithout(-1)).f33).toEqual([]);
  });

  it('skips unknown tags of every shape (newer peers)', () => {
    const w = new TarsWriter();
    w.writeInt32(0, 10);
    w.writeInt32(1, 20);
    w.writeString(2, 'L');
    w.writeStructBegin(3);
    w.writeString(0, 'inner');
    w.writeStructEnd();
    w.writeListBegin(7, 2);
    w.writeInt64(0, 2n ** 40n);
    w.writeString(0, 'x');
    w.writeMapBegin(20, 1);
    w.writeString(0, 'k');
    w.writeBytes(1, Buffer.from('v'));
    w.writeDouble(255, 1.25);
    expect(Point.decode(w.toBuffer())).toEqual({ x: 10, y: 20, label: 'L' });
  });

  it('decode the same value whatever order the fields arrive in, with unknown ones between (in-order path and loop agree)', () => {
    // the fields of an encoded value as separate byte ranges, in the order written
    const bytes = AllTypes.encode(allTypes());
    const r = new TarsReader(bytes);
    const fields: Buffer[] = [];
    for (let start = r.pos; r.nextField(); start = r.pos) {
      r.skipField();
      fields.push(bytes.subarray(start, r.pos));
    }
    expect(fields.length).toBe(24);
    const unknown = new TarsWriter();
    unknown.writeString(99, 'newer peer');
    unknown.writeInt32(120, 1);
    const extra = unknown.toBuffer();
    fc.assert(
      fc.property(fc.shuffledSubarray(fields, { minLength: fields.length }), fc.nat(fields.length), (order, at) => {
        const input = Buffer.concat([...order.slice(0, at), extra, ...order.slice(at)]);
        expect(AllTypes.decode(input)).toEqual(allTypes());
      }),
      { numRuns: 300 },
    );
    // the written order with an unknown field before each one in turn: the loop takes over there
    for (let i = 0; i <= fields.length; i++) {
      expect(AllTypes.decode(Buffer.concat([...fields.slice(0, i), extra, ...fields.slice(i)]))).toEqual(allTypes());
    }
  });

  it('rejects a field of the wrong wire type', () => {
    const w = new TarsWriter();
    w.writeString(0, 'not an int');
    w.writeInt32(1, 1);
    expect(() => Point.decode(w.toBuffer())).toThrow(TarsDecodeError);
    // also where the in-order path would read it: a string where the first int is due, an
    // INT64 where an int is due, a LIST where a string is due
    const cases: Array<(w: TarsWriter) => void> = [
      (w) => { w.writeInt32(0, 1); w.writeString(1, 'two'); },
      (w) => { w.writeInt64(0, 2n ** 40n); },
      (w) => { w.writeInt32(0, 1); w.writeInt32(1, 2); w.writeListBegin(2, 0); },
    ];
    for (const write of cases) {
      const c = new TarsWriter();
      write(c);
      expect(() => Point.decode(c.toBuffer())).toThrow(TarsDecodeError);
    }
  });

  it('carries enums of an included module inside containers', () => {
    const h: Holder = { p: { x: 1, y: 1, label: '' }, colors: [Color.BLUE, Color.DARK, Color.ALIAS] };
    expect(Holder.decode(Holder.encode(h))).toEqual(h);
  });

  it('name structs module.Name', () => {
    expect([Point.tarsName, AllTypes.tarsName, Holder.tarsName]).toEqual(['base.Point', 'golden.AllTypes', 'child.Holder']);
  });
});

describe('generated enums, consts and index', () => {
  it('computes implicit, explicit, negative and aliased enum values', () => {
    expect(Level).toEqual({ LOW: 0, HIGH: 10, HIGHER: 11, NEG: -1 });
    expect(Color).toEqual({ RED: 0, GREEN: 5, BLUE: 6, DARK: -2, ALIAS: 5 });
  });

  it('exports consts with exact values', () => {
    expect(HUGE).toBe(9007199254740993n);
    expect(SMALL).toBe(-127);
    expect(GREETING).toBe('it\'s "quoted"\n');
    expect(FAVOURITE).toBe(Color.BLUE);
  });

  it('exports every file and folder as a namespace', () => {
    expect(Object.keys(goldenIndex).sort()).toEqual(['Base', 'Golden', 'sub']);
    expect(goldenIndex.sub.Child.Holder).toBe(Holder);
  });
});

describe('generated interface code', () => {
  const m = DemoDescriptor.methods;

  it('describes parameters with tags 1..n, out flags and TUP type names', () => {
    expect(DemoDescriptor.name).toBe('golden.Demo');
    expect(Object.keys(m)).toEqual(['ping', 'add', 'split', 'fill', 'move', 'keywords']);
    expect(m.ping.ret).toBeUndefined();
    expect(m.ping.params).toEqual([]);
    expect(m.split.params.map((p) => [p.name, p.tag, p.out, p.tupType])).toEqual([
      ['text', 1, false, 'string'],
      ['parts', 2, true, 'list<string>'],
      ['count', 3, true, 'int32'],
    ]);
    expect(m.split.ret?.tupType).toBe('int32');
    expect(m.fill.params[0].tupType).toBe('golden.AllTypes');
    expect(m.move.ret?.tupType).toBe('base.Point');
    expect(m.move.params.map((p) => p.name)).toEqual(['from', 'dx', 'dy']);
    expect(m.keywords.params.map((p) => p.name)).toEqual(['function', 'options', 'current']);
  });

  it('value codecs write and read at any tag and give empty values', () => {
    const roundTrip = (codec: MethodDescriptor['params'][number], tag: number, value: unknown) => {
      const w = new TarsWriter();
      codec.write(w, tag, value);
      const r = new TarsReader(w.toBuffer());
      expect(r.nextField()).toBe(true);
      expect(r.tag).toBe(tag);
      return codec.read(r);
    };
    expect(roundTrip(m.split.params[1], 2, ['a', 'b'])).toEqual(['a', 'b']);
    expect(roundTrip(m.fill.params[0], 1, allTypes())).toEqual(allTypes());
    expect(roundTrip(m.move.params[0], 20, { x: -1, y: 2, label: 'z' })).toEqual({ x: -1, y: 2, label: 'z' });
    expect(m.split.params[1].empty()).toEqual([]);
    expect(m.split.params[2].empty()).toBe(0);
    expect(m.fill.params[0].empty()).toEqual(AllTypes.create());
    expect(m.move.ret!.empty()).toEqual({ x: 0, y: 0, label: 'origin' });
  });

  it('proxy methods pass the in parameters in order and the call options to invoke', async () => {
    const calls: Array<[MethodDescriptor, readonly unknown[], CallOptions | undefined]> = [];
    const invoker: Invoker = {
      objectName: 'App.Server.DemoObj',
      invoke: async (method, args, options) => {
        calls.push([method, args, options]);
        return method.name === 'split' ? { ret: 2, parts: ['a', 'b'], count: 2 } : 42;
      },
      ping: async () => {},
    };
    const proxy = new DemoProxy(invoker);
    expect(await proxy.add(1, 2, { timeout: 5 })).toBe(42);
    expect(await proxy.split('a b')).toEqual({ ret: 2, parts: ['a', 'b'], count: 2 });
    await proxy.keywords('f', 7, 'c', { oneway: true });
    await proxy.ping();
    expect(calls.map(([meth, args, opts]) => [meth.name, args, opts])).toEqual([
      ['add', [1, 2], { timeout: 5 }],
      ['split', ['a b'], undefined],
      ['keywords', ['f', 7, 'c'], { oneway: true }],
      ['ping', [], undefined],
    ]);
    expect(calls[0][0]).toBe(m.add);
    expect(DemoProxy.descriptor).toBe(DemoDescriptor);
  });

  it('a servant subclass exposes the descriptor the server dispatches with', async () => {
    class Impl extends DemoServant {
      ping(): void {}
      add(_c: Current, a: number, b: number): number {
        return a + b;
      }
      async split(_c: Current, text: string) {
        const parts = text.split(' ');
        return { ret: 0, parts, count: parts.length };
      }
      fill() {
        return { all: AllTypes.create() };
      }
      move(_c: Current, from: Point, dx: number, dy: number): Point {
        return { ...from, x: from.x + dx, y: from.y + dy };
      }
      keywords(_c: Current, fn: string, options: number, current: string): string {
        return `${fn}${options}${current}`;
      }
    }
    const impl = new Impl();
    expect(servantDescriptor(impl)).toBe(DemoDescriptor);
    // what a dispatcher does: look the method up by the descriptor's name, pass the in args
    const call = (name: string, ...args: unknown[]) => (impl as unknown as Record<string, (...a: unknown[]) => unknown>)[name](undefined, ...args);
    expect(await call(m.split.name, 'x y z')).toEqual({ ret: 0, parts: ['x', 'y', 'z'], count: 3 });
    expect(call(m.keywords.name, 'a', 1, 'b')).toBe('a1b');
  });
});
