// Where the standalone listens. The Kubernetes edition's ports (registry 17890/17891, config
// 11111, ...) and the servants' ports in the manifests are written as if the block started at
// 10000; `--port-base B` moves the whole block to B, so several frameworks (or test runs) can
// share one machine: port p is served at B + (p - 10000). The default base, 10000, keeps them.
import { createServer } from 'node:net';

export const DEFAULT_PORT_BASE = 10_000;

export class PortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortError';
  }
}

/** Parses a `--port-base`/`TARS_PORT_BASE` value; throws with the reason. */
export function parsePortBase(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1024 || n > 56_000) {
    throw new PortError(`port base "${text}" must be a whole number from 1024 to 56000 (ports are base + (port - 10000))`);
  }
  return n;
}

export class PortMap {
  readonly base: number;

  constructor(base = DEFAULT_PORT_BASE) {
    this.base = base;
  }

  /** The port actually served for `port` as written in a manifest; throws when it leaves 1..65535. */
  map(port: number, what: string): number {
    const p = this.base + (port - DEFAULT_PORT_BASE);
    if (!Number.isInteger(p) || p < 1 || p > 65_535) throw new PortError(`${what}: port ${port} moved by base ${this.base} gives ${p}, outside 1..65535`);
    return p;
  }
}

/** One planned listener, named for error messages. */
export interface PlannedPort {
  host: string;
  port: number;
  /** e.g. `tars.tarsconfig.ConfigObj` */
  owner: string;
}

/** Tries to bind every port; the error lists each one in use with the object that wanted it. */
export async function checkPortsFree(ports: readonly PlannedPort[]): Promise<void> {
  const busy: string[] = [];
  const seen = new Map<number, string>();
  for (const p of ports) {
    const other = seen.get(p.port);
    if (other !== undefined) {
      busy.push(`${p.port} is planned twice (${other} and ${p.owner})`);
      continue;
    }
    seen.set(p.port, p.owner);
    const error = await tryBind(p.host, p.port);
    if (error) busy.push(`${p.host}:${p.port} for ${p.owner}: ${error}`);
  }
  if (busy.length > 0) {
    throw new PortError(`cannot listen:\n  ${busy.join('\n  ')}\nstop what uses them, or move every port with --port-base (now ${describeBase(ports)})`);
  }
}

function describeBase(ports: readonly PlannedPort[]): string {
  return ports.length === 0 ? 'no ports' : `ports ${Math.min(...ports.map((p) => p.port))}..${Math.max(...ports.map((p) => p.port))}`;
}

function tryBind(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE' ? 'in use' : `${e.code ?? ''} ${e.message}`.trim()));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
