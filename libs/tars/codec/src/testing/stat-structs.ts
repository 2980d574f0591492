// StatF.tars structs written by hand in exactly the shape the IDL generator emits (see
// docs/design/tars-stack-contract.md), for conformance tests and the codec benchmark.
// Production code uses the generated ones in @tars-ts/interfaces.
import { TarsDecodeError, TarsReader, TarsWriter } from '../index.ts';

export interface StatMicMsgHead {
  masterName: string;
  slaveName: string;
  interfaceName: string;
  masterIp: string;
  slaveIp: string;
  slavePort: number;
  returnValue: number;
  slaveSetName: string;
  slaveSetArea: string;
  slaveSetID: string;
  tarsVersion: string;
}

export interface StatMicMsgBody {
  count: number;
  timeoutCount: number;
  execCount: number;
  intervalCount: Map<number, number>;
  totalRspTime: bigint;
  maxRspTime: number;
  minRspTime: number;
}

function requireTags(struct: string, seen: number, mask: number): void {
  if ((seen & mask) === mask) return;
  for (let t = 0; t < 31; t++) {
    if (mask & (1 << t) && !(seen & (1 << t))) throw new TarsDecodeError(`${struct}: required field missing`, { tag: t });
  }
}

export const StatMicMsgHead = {
  tarsName: 'tars.StatMicMsgHead',
  create(init?: Partial<StatMicMsgHead>): StatMicMsgHead {
    const v: StatMicMsgHead = {
      masterName: '', slaveName: '', interfaceName: '', masterIp: '', slaveIp: '',
      slavePort: 0, returnValue: 0, slaveSetName: '', slaveSetArea: '', slaveSetID: '', tarsVersion: '',
    };
    return init ? Object.assign(v, init) : v;
  },
  writeFields(w: TarsWriter, v: StatMicMsgHead): void {
    w.writeString(0, v.masterName);
    w.writeString(1, v.slaveName);
    w.writeString(2, v.interfaceName);
    w.writeString(3, v.masterIp);
    w.writeString(4, v.slaveIp);
    w.writeInt32(5, v.slavePort);
    w.writeInt32(6, v.returnValue);
    w.writeString(7, v.slaveSetName);
    w.writeString(8, v.slaveSetArea);
    w.writeString(9, v.slaveSetID);
    w.writeString(10, v.tarsVersion);
  },
  write(w: TarsWriter, tag: number, v: StatMicMsgHead): void {
    w.writeStructBegin(tag);
    StatMicMsgHead.writeFields(w, v);
    w.writeStructEnd();
  },
  readFields(r: TarsReader): StatMicMsgHead {
    const v = StatMicMsgHead.create();
    let seen = 0;
    while (r.nextField()) {
      const tag = r.tag;
      switch (tag) {
        case 0: v.masterName = r.readString(); break;
        case 1: v.slaveName = r.readString(); break;
        case 2: v.interfaceName = r.readString(); break;
        case 3: v.masterIp = r.readString(); break;
        case 4: v.slaveIp = r.readString(); break;
        case 5: v.slavePort = r.readInt32(); break;
        case 6: v.returnValue = r.readInt32(); break;
        case 7: v.slaveSetName = r.readString(); break;
        case 8: v.slaveSetArea = r.readString(); break;
        case 9: v.slaveSetID = r.readString(); break;
        case 10: v.tarsVersion = r.readString(); break;
        default: r.skipField(); continue;
      }
      seen |= 1 << tag;
    }
    requireTags('tars.StatMicMsgHead', seen, 0x7f);
    return v;
  },
  read(r: TarsReader): StatMicMsgHead {
    r.beginStruct();
    return StatMicMsgHead.readFields(r);
  },
  encode(v: StatMicMsgHead): Buffer {
    const w = new TarsWriter(128);
    StatMicMsgHead.writeFields(w, v);
    return w.toBuffer();
  },
  decode(buf: Uint8Array): StatMicMsgHead {
    return StatMicMsgHead.readFields(new TarsReader(buf));
  },
};

export const StatMicMsgBody = {
  tarsName: 'tars.StatMicMsgBody',
  create(init?: Partial<StatMicMsgBody>): StatMicMsgBody {
    const v: StatMicMsgBody = {
      count: 0, timeoutCount: 0, execCount: 0, intervalCount: new Map(), totalRspTime: 0n, maxRspTime: 0, minRspTime: 0,
    };
    return init ? Object.assign(v, init) : v;
  },
  writeFields(w: TarsWriter, v: StatMicMsgBody): void {
    w.writeInt32(0, v.count);
    w.writeInt32(1, v.timeoutCount);
    w.writeInt32(2, v.execCount);
    w.writeMapBegin(3, v.intervalCount.size);
    v.intervalCount.forEach((x, k) => {
      w.writeInt32(0, k);
      w.writeInt32(1, x);
    });
    w.writeInt64(4, v.totalRspTime);
    w.writeInt32(5, v.maxRspTime);
    w.writeInt32(6, v.minRspTime);
  },
  write(w: TarsWriter, tag: number, v: StatMicMsgBody): void {
    w.writeStructBegin(tag);
    StatMicMsgBody.writeFields(w, v);
    w.writeStructEnd();
  },
  readFields(r: TarsReader): StatMicMsgBody {
    const v = StatMicMsgBody.create();
    let seen = 0;
    while (r.nextField()) {
      const tag = r.tag;
      switch (tag) {
        case 0: v.count = r.readInt32(); break;
        case 1: v.timeoutCount = r.readInt32(); break;
        case 2: v.execCount = r.readInt32(); break;
        case 3: {
          const n = r.readMapSize();
          const m = new Map<number, number>();
          for (let i = 0; i < n; i++) {
            r.expectElement(0);
            const k = r.readInt32();
            r.expectElement(1);
            m.set(k, r.readInt32());
          }
          v.intervalCount = m;
          break;
        }
        case 4: v.totalRspTime = r.readInt64(); break;
        case 5: v.maxRspTime = r.readInt32(); break;
        case 6: v.minRspTime = r.readInt32(); break;
        default: r.skipField(); continue;
      }
      seen |= 1 << tag;
    }
    requireTags('tars.StatMicMsgBody', seen, 0x7f);
    return v;
  },
  read(r: TarsReader): StatMicMsgBody {
    r.beginStruct();
    return StatMicMsgBody.readFields(r);
  },
  encode(v: StatMicMsgBody): Buffer {
    const w = new TarsWriter(128);
    StatMicMsgBody.writeFields(w, v);
    return w.toBuffer();
  },
  decode(buf: Uint8Array): StatMicMsgBody {
    return StatMicMsgBody.readFields(new TarsReader(buf));
  },
};

/** reportMicMsg arguments block: {1: map<StatMicMsgHead,StatMicMsgBody>, 2: bool bFromClient}. */
export function writeReportMicMsgArgs(w: TarsWriter, msg: ReadonlyMap<StatMicMsgHead, StatMicMsgBody>, bFromClient: boolean): void {
  w.writeMapBegin(1, msg.size);
  for (const [k, v] of msg) {
    StatMicMsgHead.write(w, 0, k);
    StatMicMsgBody.write(w, 1, v);
  }
  w.writeBool(2, bFromClient);
}

export function readReportMicMsgArgs(buf: Uint8Array): { msg: Map<StatMicMsgHead, StatMicMsgBody>; bFromClient: boolean } {
  const r = new TarsReader(buf);
  let msg: Map<StatMicMsgHead, StatMicMsgBody> | undefined;
  let bFromClient: boolean | undefined;
  while (r.nextField()) {
    switch (r.tag) {
      case 1: {
        const n = r.readMapSize();
        msg = new Map();
        for (let i = 0; i < n; i++) {
          r.expectElement(0);
          const k = StatMicMsgHead.read(r);
          r.expectElement(1);
          msg.set(k, StatMicMsgBody.read(r));
        }
        break;
      }
      case 2: bFromClient = r.readBool(); break;
      default: r.skipField();
    }
  }
  if (msg === undefined) throw new TarsDecodeError('reportMicMsg: argument msg missing', { tag: 1 });
  if (bFromClient === undefined) throw new TarsDecodeError('reportMicMsg: argument bFromClient missing', { tag: 2 });
  return { msg, bFromClient };
}

/** Realistic stat entries: framework-like names and IPs, all 9 interval buckets present. */
export function sampleStatEntries(n: number): Map<StatMicMsgHead, StatMicMsgBody> {
  const buckets = [5, 10, 50, 100, 200, 500, 1000, 2000, 3000];
  const m = new Map<StatMicMsgHead, StatMicMsgBody>();
  for (let i = 0; i < n; i++) {
    const head = StatMicMsgHead.create({
      masterName: `TestApp.GatewayServer@1.${i % 7}.3`,
      slaveName: `TestApp.OrderServer${i % 13}`,
      interfaceName: `queryOrderDetailsByCustomer${i}`,
      masterIp: `10.${(i >> 8) & 255}.${i & 255}.17`,
      slaveIp: `172.16.${(i * 7) & 255}.${(i * 13) & 255}`,
      slavePort: 10000 + (i % 5000),
      returnValue: i % 11 === 0 ? -1 : 0,
      slaveSetName: i % 3 === 0 ? 'sz' : '',
      slaveSetArea: i % 3 === 0 ? 'nanshan' : '',
      slaveSetID: i % 3 === 0 ? '1' : '',
      tarsVersion: '3.0.4',
    });
    const intervalCount = new Map<number, number>();
    for (let b = 0; b < buckets.length; b++) intervalCount.set(buckets[b], (i * (b + 3)) % 400);
    m.set(head, StatMicMsgBody.create({
      count: 1000 + i,
      timeoutCount: i % 4,
      execCount: i % 9,
      intervalCount,
      totalRspTime: BigInt(40000 + i * 37),
      maxRspTime: 350 + (i % 100),
      minRspTime: 1 + (i % 3),
    }));
  }
  return m;
}
