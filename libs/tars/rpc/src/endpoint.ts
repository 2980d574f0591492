// Endpoint strings: `tcp|udp|ssl -h HOST -p PORT [-t IDLE_MS]`, several joined by ':';
// proxy strings `Obj@ep1:ep2` (direct) or bare `Obj` (resolved through the locator).

export type Transport = 'tcp' | 'udp' | 'ssl';

export interface Endpoint {
  protocol: Transport;
  host: string;
  port: number;
  /** -t: idle timeout in ms (server: close idle connections; 0 = none). */
  timeout: number;
}

export class EndpointSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointSyntaxError';
  }
}

/** Parses one endpoint (`tcp -h 127.0.0.1 -p 10000 -t 60000`). Unknown flags are ignored like TarsCpp does. */
export function parseEndpoint(text: string): Endpoint {
  const words = text.trim().split(/\s+/);
  const proto = words[0]?.toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'ssl') {
    throw new EndpointSyntaxError(`endpoint "${text}": must start with tcp, udp or ssl`);
  }
  const ep: Endpoint = { protocol: proto, host: '', port: -1, timeout: 0 };
  for (let i = 1; i < words.length; i++) {
    const flag = words[i];
    if (!flag.startsWith('-')) throw new EndpointSyntaxError(`endpoint "${text}": unexpected "${flag}"`);
    const value = words[i + 1];
    const hasValue = value !== undefined && !value.startsWith('-');
    if (hasValue) i++;
    switch (flag) {
      case '-h':
        if (!hasValue) throw new EndpointSyntaxError(`endpoint "${text}": -h needs a host`);
        ep.host = value;
        break;
      case '-p':
        ep.port = hasValue ? toInt(value, text, '-p') : -1;
        break;
      case '-t':
        ep.timeout = hasValue ? toInt(value, text, '-t') : 0;
        break;
      default:
        break; // -e (auth), -g (grid), -q (qos), -w (weight), ... : not used here
    }
  }
  if (!ep.host) throw new EndpointSyntaxError(`endpoint "${text}": missing -h host`);
  if (!(ep.port >= 0 && ep.port <= 65535)) throw new EndpointSyntaxError(`endpoint "${text}": missing or bad -p port`);
  return ep;
}

function toInt(value: string, text: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new EndpointSyntaxError(`endpoint "${text}": ${flag} must be a number`);
  return Number(value);
}

/** Parses a ':'-joined list of endpoints. Empty segments are skipped. */
export function parseEndpoints(text: string): Endpoint[] {
  return text
    .split(':')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(parseEndpoint);
}

export function formatEndpoint(ep: Endpoint): string {
  return `${ep.protocol} -h ${ep.host} -p ${ep.port}${ep.timeout ? ` -t ${ep.timeout}` : ''}`;
}

/** Identity used for connection reuse (timeout is not part of it). */
export function endpointKey(ep: Endpoint): string {
  return `${ep.protocol}:${ep.host}:${ep.port}`;
}

export interface ProxyTarget {
  objectName: string;
  /** Direct endpoints; undefined when the name must be resolved through the locator. */
  endpoints?: Endpoint[];
}

/** Splits `Obj@ep1:ep2` or bare `Obj`. */
export function parseProxyString(text: string): ProxyTarget {
  const at = text.indexOf('@');
  if (at < 0) {
    const objectName = text.trim();
    if (!objectName) throw new EndpointSyntaxError('empty object name');
    return { objectName };
  }
  const objectName = text.slice(0, at).trim();
  if (!objectName) throw new EndpointSyntaxError(`"${text}": empty object name before @`);
  const endpoints = parseEndpoints(text.slice(at + 1));
  if (endpoints.length === 0) throw new EndpointSyntaxError(`"${text}": no endpoint after @`);
  return { objectName, endpoints };
}
