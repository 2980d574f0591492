// tars.tarsregistry.QueryObj: QueryF answered from the endpoint index. As in the Kubernetes
// edition, every findObjectById* variant shares one lookup (group, station and set arguments
// are accepted and ignored, ret is 0); findObjectById returns only the active list. The
// enterprise methods answer -1 as the native registry does.
import { Servant, type Current } from '@tars-ts/rpc';
import type { Answer, EndpointList } from './endpoint-list.ts';
import { FastQueryFDescriptor } from './query-descriptor.ts';

export interface EndpointSource {
  lookup(id: string): Answer;
}

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

  private lists(id: string): Lists {
    const a = this.source.lookup(id);
    return { ret: 0, activeEp: a.active, inactiveEp: a.inactive };
  }

  findObjectById(_current: Current, id: string): EndpointList {
    return this.source.lookup(id).active;
  }

  findObjectById4Any(_current: Current, id: string): Lists {
    return this.lists(id);
  }

  findObjectById4All(_current: Current, id: string): Lists {
    return this.lists(id);
  }

  findObjectByIdInSameGroup(_current: Current, id: string): Lists {
    return this.lists(id);
  }

  findObjectByIdInSameStation(_current: Current, id: string, _station: string): Lists {
    return this.lists(id);
  }

  findObjectByIdInSameSet(_current: Current, id: string, _setId: string): Lists {
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
