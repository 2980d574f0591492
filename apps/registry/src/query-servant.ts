// tars.tarsregistry.QueryObj: QueryF answered from the endpoint index. As in the Kubernetes
// edition, every findObjectById* variant shares one lookup (group, station and set arguments
// are accepted and ignored, ret is 0); findObjectById returns only the active list. The
// enterprise methods answer -1 as the native registry does.
import { Servant, type Current } from '@tars-ts/rpc';
import type { Answer, EndpointList } from './endpoint-list.ts';
import { FastQueryFDescriptor, IdBytes } from './query-descriptor.ts';

export interface EndpointSource {
  lookup(id: string): Answer;
  /** lookup() of an id given as bytes (the request's own), when the source can do it without a string. */
  lookupBytes?(buf: Uint8Array, start: number, end: number): Answer;
}

/** An id as FastQueryFDescriptor delivers it (IdBytes), or a string (direct calls, odd encodings). */
type Id = string | IdBytes;

interface Lists {
  ret: number;
  activeEp: EndpointList;
  inactiveEp: EndpointList;
}

export class QueryServant extends Servant {
  static readonly descriptor = FastQueryFDescriptor;
  private readonly source: EndpointSource;

  constructor(source: EndpointSource) {
    super();
    this.source = source;
  }

  private answer(id: Id): Answer {
    if (typeof id === 'string') return this.source.lookup(id);
    return this.source.lookupBytes ? this.source.lookupBytes(id.buf, id.start, id.end) : this.source.lookup(id.toString());
  }

  private lists(id: Id): Lists {
    const a = this.answer(id);
    return { ret: 0, activeEp: a.active, inactiveEp: a.inactive };
  }

  findObjectById(_current: Current, id: Id): EndpointList {
    return this.answer(id).active;
  }

  findObjectById4Any(_current: Current, id: Id): Lists {
    return this.lists(id);
  }

  findObjectById4All(_current: Current, id: Id): Lists {
    return this.lists(id);
  }

  findObjectByIdInSameGroup(_current: Current, id: Id): Lists {
    return this.lists(id);
  }

  findObjectByIdInSameStation(_current: Current, id: Id, _station: string): Lists {
    return this.lists(id);
  }

  findObjectByIdInSameSet(_current: Current, id: Id, _setId: string): Lists {
    return this.lists(id);
  }

  findObjectNodeName(_current: Current, _id: string): { ret: number; nodeName: string[] } {
    return { ret: -1, nodeName: [] };
  }

  registerChange(_current: Current, _timestamp: Map<string, string>, _name: string): number {
    return -1;
  }

  registerQuery(_current: Current, _id: string, _name: string): number {
    return -1;
  }

  getLocker(_current: Current, _req: unknown): number {
    return -1;
  }
}
