// Child process of the registry suite. `registry-peer.ts server <kind>` prints `PORT <n>`, then
// answers each stdin line with `CPU <µs>` (user+system so far) until stdin closes. Kinds:
//   registry — our QueryServant over an EndpointIndex holding SERVERS TEndpoints (PODS pods);
//   empty    — a QueryF servant on the same runtime that answers every lookup with empty lists;
//   rotating — our QueryServant handing out the registry's own answers in turn, ignoring the id
//              (same replies, same heap, no lookup: what is left is the lookup's own cost).
// `registry-peer.ts client <port> <inFlight> <ms>` runs findObjectByIdInSameGroup in a closed loop
// over the SERVERS object ids and prints one JSON line.
import { QueryServant, QUERY_OBJ, type Answer } from '@tars-ts/app-registry';
import { EndpointF, QueryF } from '@tars-ts/interfaces';
import { Communicator, createServer, silentLogger, type Current } from '@tars-ts/rpc';
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
    servant = new QueryServant({ lookup: () => answers[next++ % SERVERS] });
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
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  counting = true;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, ms));
  counting = false;
  const cpu = process.cpuUsage(cpu0);
  const elapsed = performance.now() - t0;
  stop = true;
  await Promise.all(workers);
  await comm.close();
  return { calls, ms: elapsed, errors, answered, clientUsPerCall: (cpu.user + cpu.system) / calls };
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
} else if (role !== undefined) {
  console.error('usage: registry-peer.ts server <registry|empty|rotating> | client <port> <inFlight> <ms>');
  process.exit(2);
}
