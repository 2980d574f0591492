// An immutable list of endpoints kept as its encoded bytes. QueryF answers are read far more
// often than TEndpoints change, so each answer is encoded once and every reply only copies it
// (see query-descriptor.ts); a change replaces the list instead of editing it. Keeping bytes
// rather than objects also keeps the heap small: 50,000 pods are 20,000 buffers, not 50,000
// EndpointF objects for the garbage collector to walk.
import { TarsReader, TarsWriter } from '@tars-ts/codec';
import { EndpointF } from '@tars-ts/interfaces';

type Endpoint = EndpointF.EndpointF;

const scratch = new TarsWriter(4096);

export class EndpointList {
  readonly length: number;
  private readonly bytes: Buffer;

  constructor(items: readonly Endpoint[]) {
    this.length = items.length;
    scratch.reset();
    for (const e of items) writeCompact(scratch, e);
    this.bytes = scratch.toBuffer();
  }

  /** The list elements (each an EndpointF struct at tag 0), without the list head. */
  elementBytes(): Buffer {
    return this.bytes;
  }

  /** The endpoints, decoded afresh (for tests and diagnostics; replies use elementBytes). */
  get items(): Endpoint[] {
    const r = new TarsReader(this.bytes);
    const out: Endpoint[] = [];
    for (let i = 0; i < this.length; i++) {
      r.expectElement(0);
      out.push(EndpointF.EndpointF.read(r));
    }
    return out;
  }
}

/**
 * An EndpointF struct at tag 0 as TarsCpp writes it (and so the upstream registry): the five
 * required fields, then only the optional ones that differ from their IDL default. Every Tars
 * reader fills absent optionals with the default, so the value read is the same; the reply is
 * about half the bytes of writing every field, and clients decode half the fields.
 */
function writeCompact(w: TarsWriter, e: Endpoint): void {
  w.writeStructBegin(0);
  w.writeString(0, e.host);
  w.writeInt32(1, e.port);
  w.writeInt32(2, e.timeout);
  w.writeInt32(3, e.istcp);
  w.writeInt32(4, e.grid);
  if (e.groupworkid !== 0) w.writeInt32(5, e.groupworkid);
  if (e.grouprealid !== 0) w.writeInt32(6, e.grouprealid);
  if (e.setId !== '') w.writeString(7, e.setId);
  if (e.qos !== 0) w.writeInt32(8, e.qos);
  if (e.bakFlag !== 0) w.writeInt32(9, e.bakFlag);
  if (e.weight !== 0) w.writeInt32(11, e.weight);
  if (e.weightType !== 0) w.writeInt32(12, e.weightType);
  if (e.authType !== 0) w.writeInt32(13, e.authType);
  if (e.nodeName !== '') w.writeString(14, e.nodeName);
  w.writeStructEnd();
}

export const EMPTY_LIST = new EndpointList([]);

/** What every findObjectById* variant answers: the active and inactive endpoints of one object. */
export interface Answer {
  active: EndpointList;
  inactive: EndpointList;
}

export const EMPTY_ANSWER: Answer = Object.freeze({ active: EMPTY_LIST, inactive: EMPTY_LIST });
