/**
 * NotifyObj's descriptor: the current IDL's `reportNotifyInfo` (generated) plus the methods
 * TarsProtocol removed from NotifyF.tars in 2023-11 (commit 9b3921b) that old clients and the
 * K8S tarsnode still call — `reportServer`, `notifyServer`, `getNotifyInfo` — written here by
 * hand from the old IDL that @tars/notify ships. Tags and TUP names follow that IDL:
 *
 *   void reportServer(string sServerName, string sThreadId, string sMessage);
 *   void notifyServer(string sServerName, NOTIFYLEVEL level, string sMessage);
 *   int  getNotifyInfo(NotifyKey stKey, out NotifyInfo stInfo);
 */
import { TarsDecodeError, type TarsReader, type TarsWriter } from '@tars-ts/codec';
import { NotifyF } from '@tars-ts/interfaces';
import type { InterfaceDescriptor, ParamDescriptor, ValueCodec } from '@tars-ts/rpc';

/** struct NotifyKey { 1 require string name; 2 require string ip; 3 require int page; } */
export interface NotifyKey {
  name: string;
  ip: string;
  page: number;
}

/** struct NotifyItem { 1 require string sTimeStamp; 2 require string sServerId; 3 require int iLevel; 4 require string sMessage; } */
export interface NotifyItem {
  sTimeStamp: string;
  sServerId: string;
  iLevel: number;
  sMessage: string;
}

/** struct NotifyInfo { 1 require int nextpage; 2 require vector<NotifyItem> notifyItems; } */
export interface NotifyInfo {
  nextpage: number;
  notifyItems: NotifyItem[];
}

const stringCodec: ValueCodec<string> = {
  tupType: 'string',
  write: (w, tag, v) => w.writeString(tag, v),
  read: (r) => r.readString(),
  empty: () => '',
};

const int32Codec: ValueCodec<number> = {
  tupType: 'int32',
  write: (w, tag, v) => w.writeInt32(tag, v),
  read: (r) => r.readInt32(),
  empty: () => 0,
};

function readNotifyKey(r: TarsReader): NotifyKey {
  r.beginStruct();
  const v: NotifyKey = { name: '', ip: '', page: 0 };
  let seen = 0;
  while (r.nextField()) {
    switch (r.tag) {
      case 1: v.name = r.readString(); seen |= 1; break;
      case 2: v.ip = r.readString(); seen |= 2; break;
      case 3: v.page = r.readInt32(); seen |= 4; break;
      default: r.skipField();
    }
  }
  if (seen !== 7) throw new TarsDecodeError('tars.NotifyKey: required field name, ip or page is missing');
  return v;
}

function writeNotifyKey(w: TarsWriter, tag: number, v: NotifyKey): void {
  w.writeStructBegin(tag);
  w.writeString(1, v.name);
  w.writeString(2, v.ip);
  w.writeInt32(3, v.page);
  w.writeStructEnd();
}

function writeNotifyInfo(w: TarsWriter, tag: number, v: NotifyInfo): void {
  w.writeStructBegin(tag);
  w.writeInt32(1, v.nextpage);
  w.writeListBegin(2, v.notifyItems.length);
  for (const item of v.notifyItems) {
    w.writeStructBegin(0);
    w.writeString(1, item.sTimeStamp);
    w.writeString(2, item.sServerId);
    w.writeInt32(3, item.iLevel);
    w.writeString(4, item.sMessage);
    w.writeStructEnd();
  }
  w.writeStructEnd();
}

function readNotifyItem(r: TarsReader): NotifyItem {
  r.beginStruct();
  const item: NotifyItem = { sTimeStamp: '', sServerId: '', iLevel: 0, sMessage: '' };
  while (r.nextField()) {
    switch (r.tag) {
      case 1: item.sTimeStamp = r.readString(); break;
      case 2: item.sServerId = r.readString(); break;
      case 3: item.iLevel = r.readInt32(); break;
      case 4: item.sMessage = r.readString(); break;
      default: r.skipField();
    }
  }
  return item;
}

function readNotifyInfo(r: TarsReader): NotifyInfo {
  r.beginStruct();
  const v: NotifyInfo = { nextpage: 0, notifyItems: [] };
  while (r.nextField()) {
    switch (r.tag) {
      case 1:
        v.nextpage = r.readInt32();
        break;
      case 2: {
        const n = r.readListSize();
        for (let i = 0; i < n; i++) {
          r.expectElement(0);
          v.notifyItems.push(readNotifyItem(r));
        }
        break;
      }
      default:
        r.skipField();
    }
  }
  return v;
}

function param<T>(name: string, tag: number, codec: ValueCodec<T>, out = false): ParamDescriptor {
  return { ...(codec as ValueCodec<unknown>), name, tag, out };
}

const notifyKeyCodec: ValueCodec<NotifyKey> = {
  tupType: 'tars.NotifyKey',
  write: writeNotifyKey,
  read: readNotifyKey,
  empty: () => ({ name: '', ip: '', page: 0 }),
};

const notifyInfoCodec: ValueCodec<NotifyInfo> = {
  tupType: 'tars.NotifyInfo',
  write: writeNotifyInfo,
  read: readNotifyInfo,
  empty: () => ({ nextpage: 0, notifyItems: [] }),
};

export const LegacyNotifyDescriptor: InterfaceDescriptor = {
  name: 'tars.Notify',
  methods: {
    ...NotifyF.NotifyDescriptor.methods,
    reportServer: {
      name: 'reportServer',
      params: [param('sServerName', 1, stringCodec), param('sThreadId', 2, stringCodec), param('sMessage', 3, stringCodec)],
    },
    notifyServer: {
      name: 'notifyServer',
      params: [param('sServerName', 1, stringCodec), param('level', 2, int32Codec), param('sMessage', 3, stringCodec)],
    },
    getNotifyInfo: {
      name: 'getNotifyInfo',
      ret: int32Codec as ValueCodec<unknown>,
      params: [param('stKey', 1, notifyKeyCodec), param('stInfo', 2, notifyInfoCodec, true)],
    },
  },
};
