import { RequestPacket } from '@tars-ts/codec';
import { decodeRequest, type RequestHead } from '../envelope.ts';
import type { Current } from '../types.ts';

// A minimal request, for the instance below.
const ANCHOR_PACKET = RequestPacket.encode(RequestPacket.create({ iVersion: 1, iRequestId: 1, sServantName: 'a.b.C', sFuncName: 'f' }));

/** The Current handed to servant methods. */
export class ServerCurrent implements Current {
  readonly head: RequestHead;
  readonly remoteAddress: string;
  readonly remotePort: number;
  private replyContext: Map<string, string> | undefined = undefined;
  /**
   * Keeps the instances' hidden class alive between bursts of calls, so that a full GC in a
   * quiet moment does not discard the optimized dispatch code (see TarsReader.shapeAnchor).
   */
  private static readonly shapeAnchor: unknown = new ServerCurrent(decodeRequest(ANCHOR_PACKET, 0, ANCHOR_PACKET.length), '', 0);

  constructor(head: RequestHead, remoteAddress: string, remotePort: number) {
    this.head = head;
    this.remoteAddress = remoteAddress;
    this.remotePort = remotePort;
  }

  get servantName(): string { return this.head.servantName; }
  get funcName(): string { return this.head.funcName; }
  get requestId(): number { return this.head.requestId; }
  get version(): number { return this.head.version; }
  get packetType(): number { return this.head.packetType; }
  get messageType(): number { return this.head.messageType; }
  get timeout(): number { return this.head.timeout; }
  get context(): ReadonlyMap<string, string> { return this.head.context; }
  get status(): ReadonlyMap<string, string> { return this.head.status; }

  get callerHost(): string {
    return this.head.context.get('node_name') || this.remoteAddress;
  }

  get responseContext(): Map<string, string> {
    return (this.replyContext ??= new Map());
  }

  /** The reply context if a servant touched it. */
  get replyContextIfAny(): Map<string, string> | undefined {
    return this.replyContext;
  }
}
