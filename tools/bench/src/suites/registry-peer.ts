// Child process of the registry suite. `registry-peer.ts server <kind>` prints `PORT <n>`, then
// answers each stdin line with `CPU <µs>` (user+system so far) until stdin closes. Kinds:
//   registry — our QueryServant over an EndpointIndex holding SERVERS TEndpoints (PODS pods);
//   empty    — a QueryF servant on the same runtime that answers every lookup with empty lists;
//   rotating — our QueryServant handing out the registry's own answers in turn, ignoring the id
//              (same replies, same heap, no lookup: what is left is the lookup's own cost).
// `registry-peer.ts client <port> <inFlight> <ms>` runs findObjectByIdInSameGroup in a closed loop
// over the SERVERS object ids through our QueryF proxy (what a Tars service sees: every reply
// decoded into EndpointF objects) and prints one JSON line.
// `registry-peer.ts loadgen <port> <inFlight> <ms>` asks the same, but as a load generator does:
// pre-encoded requests, replies checked for their id and return code and every 64th decoded in
// full, so that the server, not the client, is what is measured.
import { connect } from 'node:net';
import { QueryServant, QUERY_OBJ, type Answer } from '@tars-ts/app-registry';
import { FrameDecoder, RequestPacket, ResponsePacket, TarsReader, TarsWriter } from '@tars-ts/codec';
import { EndpointF, QueryF } from '@tars-ts/interfaces';
import { Communicator, createServer, silentLogger, type Current } from '@tars-ts/rpc';
import { loadWindow } from '../measure.ts';
import { filledIndex, objectId, SERVERS } from './registry-fixture.ts';

const WARMUP_MS = 300;

type Lists = { ret: number; activeEp: EndpointF.EndpointF[]; inactiveEp: EndpointF.EndpointF[] };
const none = (): Lists => ({ ret: 0, activeEp: [], inactiveEp: [] });

/** The least a QueryF servant can do. */
class EmptyQuery extends QueryF.QueryFServant {
  findObjectById(): EndpointF.EndpointF[] { return []; }
  findObjectById4Any(): Lists { return none(); }
  findObjectById4All(): Lists { return none(); }
  findObjectByIdInSameGroup(): Lists { return none(); }
  findObjectByIdInSameStation(): Lists { return none(); }
  findObjectByIdInSameSet(): Lists { return none(); }
  findObjectNodeName(): { ret: number; nodeName: string[] } { return { ret: -1, nodeName: [] }; }
  registerChange(): number { return -1; }
  registerQuery(): number { return -1; }
  getLocker(_c: Current): number { return -1; }
}

async function startServer(kind: string): Promise<number> {
  const server = createServer({ logger: silentLogger });
  let servant: object;
  if (kind === 'registry') servant = new QueryServant(filledIndex());
  else if (kind === 'empty') servant = new EmptyQuery();
  else if (kind === 'rotating') {
    const index = filledIndex();
    const answers: Answer[] = Array.from({ length: SERVERS }, (_, i) => index.lookup(objectId(i)));
    let next = 0;
    const rotate = () => answers[next++ % SERVERS];
    servant = new QueryServant({ lookup: rotate, lookupBytes: rotate });
  } else throw new Error(`unknown server kind ${kind}`);
  server.addServant(servant, QUERY_OBJ, 'tcp -h 127.0.0.1 -p 0 -t 60000');
  await server.start();
  return server.endpointOf(QUERY_OBJ).port;
}

interface Result { calls: number; ms: number; errors: number; answered: number; clientUsPerCall: number }

async function runClient(port: number, inFlight: number, ms: number): Promise<Result> {
  const comm = new Communicator({ logger: silentLogger, timeout: 10_000 });
  const proxy = comm.stringToProxy(QueryF.QueryFProxy, `${QUERY_OBJ}@tcp -h 127.0.0.1 -p ${port}`);
  let counting = false;
  let stop = false;
  let calls = 0;
  let errors = 0;
  let answered = 0;
  let next = 0;
  const worker = async () => {
    while (!stop) {
      const id = objectId(next++ % SERVERS);
      try {
        const r = await proxy.findObjectByIdInSameGroup(id);
        if (counting) {
          calls++;
          answered += r.activeEp.length;
        }
      } catch {
        errors++;
      }
    }
  };
  const workers = Array.from({ length: inFlight }, worker);
  const window = await loadWindow(WARMUP_MS, ms, (on) => (counting = on));
  stop = true;
  await Promise.all(workers);
  await comm.close();
  return { calls, ms: window.ms, errors, answered, clientUsPerCall: window.cpuUs / calls };
}

interface LoadResult { calls: number; ms: number; errors: number; checked: number; checkedActive: number; checkedInactive: number; clientUsPerCall: number }

const LOOKUP = QueryF.QueryFDescriptor.methods.findObjectByIdInSameGroup;
const REQUEST_ID_MARK = 0x7abcdef1;

// findObjectByIdInSameGroup(id) for every bench id, encoded once; the request id is patched in.
function encodedRequests(): { frames: Buffer[]; idAt: number[] } {
  const frames: Buffer[] = [];
  const idAt: number[] = [];
  const w = new TarsWriter();
  for (let i = 0; i < SERVERS; i++) {
    w.reset();
    LOOKUP.params[0].write(w, LOOKUP.params[0].tag, objectId(i));
    const frame = Buffer.from(RequestPacket.encodeFrame(RequestPacket.create({ iVersion: 1, iRequestId: REQUEST_ID_MARK, sServantName: QUERY_OBJ, sFuncName: LOOKUP.name, sBuffer: w.view(), iTimeout: 10_000 })));
    // tag 4 INT32 head (0x42) then the mark: where the id goes
    const at = frame.indexOf(Buffer.from([0x42, 0x7a, 0xbc, 0xde, 0xf1])) + 1;
    if (at <= 0) throw new Error('loadgen: request id not found in the encoded request');
    frames.push(frame);
    idAt.push(at);
  }
  return { frames, idAt };
}

// The active and inactive list lengths of a findObjectByIdInSameGroup result block.
function listLengths(body: Uint8Array): [number, number] {
  const r = new TarsReader(body);
  let active = -1;
  let inactive = -1;
  while (r.nextField()) {
    const p = LOOKUP.params.find((x) => x.tag === r.tag && x.out);
    if (p?.name === 'activeEp') active = (p.read(r) as unknown[]).length;
    else if (p?.name === 'inactiveEp') inactive = (p.read(r) as unknown[]).length;
    else r.skipField();
  }
  return [active, inactive];
}

// iRequestId (tag 3) and iRet (tag 5) of a ResponsePacket, skipping the rest unread.
function idAndReturnCode(packet: Buffer): [number, number] {
  const r = new TarsReader(packet);
  let id = -1;
  let ret = -1;
  while (r.nextField()) {
    if (r.tag === 3) id = r.readInt32();
    else if (r.tag === 5) ret = r.readInt32();
    else r.skipField();
  }
  return [id, ret];
}

async function runLoadGenerator(port: number, inFlight: number, ms: number): Promise<LoadResult> {
  const { frames, idAt } = encodedRequests();
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let seq = 0;
  const request = (): Buffer => {
    seq = seq >= 0x7ffffffe ? 1 : seq + 1;
    const i = seq % SERVERS;
    frames[i].writeInt32BE(seq, idAt[i]);
    return frames[i];
  };
  const outstanding = new Set<number>();
  let counting = false;
  let stop = false;
  const r = { calls: 0, errors: 0, checked: 0, checkedActive: 0, checkedInactive: 0 };
  const decoder = new FrameDecoder({ maxPacketSize: 1 << 20 });
  const next: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => {
    decoder.push(chunk, (packet) => {
      const [id, ret] = idAndReturnCode(packet);
      if (!outstanding.delete(id) || ret !== 0) r.errors++;
      else if (counting) {
        r.calls++;
        if ((r.calls & 63) === 0) {
          const [active, inactive] = listLengths(ResponsePacket.decode(packet).sBuffer);
          r.checked++;
          r.checkedActive += active;
          r.checkedInactive += inactive;
        }
      }
      if (!stop) {
        next.push(request());
        outstanding.add(seq);
      }
    });
    // one write for all requests that replace the replies of this read (copied: frames are reused)
    if (next.length > 0) socket.write(Buffer.concat(next));
    next.length = 0;
  });
  socket.on('error', () => {});
  const first: Buffer[] = [];
  for (let i = 0; i < inFlight; i++) {
    first.push(Buffer.from(request()));
    outstanding.add(seq);
  }
  socket.write(Buffer.concat(first));
  const window = await loadWindow(WARMUP_MS, ms, (on) => (counting = on));
  stop = true;
  socket.destroy();
  return { ...r, ms: window.ms, clientUsPerCall: window.cpuUs / r.calls };
}

const [role, ...rest] = process.argv.slice(2);
if (role === 'server') {
  const port = await startServer(rest[0]);
  process.stdout.write(`PORT ${port}\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    for (let i = 0; i < text.split('\n').length - 1; i++) {
      const u = process.cpuUsage();
      process.stdout.write(`CPU ${u.user + u.system}\n`);
    }
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
} else if (role === 'client') {
  const [port, inFlight, ms] = rest.map(Number);
  process.stdout.write(JSON.stringify(await runClient(port, inFlight, ms)) + '\n');
  process.exit(0);
} else if (role === 'loadgen') {
  const [port, inFlight, ms] = rest.map(Number);
  process.stdout.write(JSON.stringify(await runLoadGenerator(port, inFlight, ms)) + '\n');
  process.exit(0);
} else if (role !== undefined) {
  console.error('usage: registry-peer.ts server <registry|empty|rotating> | client|loadgen <port> <inFlight> <ms>');
  process.exit(2);
}
