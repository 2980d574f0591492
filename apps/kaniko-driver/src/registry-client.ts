/**
 * A small Docker Registry HTTP API v2 client (distribution spec): manifests and blobs, chunk-free
 * monolithic uploads, cross-repository mounts, and the two auth schemes registries use (Basic,
 * and Bearer tokens from the realm named in `WWW-Authenticate`), with credentials from a Docker
 * `config.json`. Plain HTTP only for hosts marked insecure (loopback by default).
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

export interface ImageRef {
  host: string;
  repo: string;
  /** Tag or `sha256:` digest. */
  reference: string;
}

export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  let name = at >= 0 ? ref.slice(0, at) : ref;
  let reference = at >= 0 ? ref.slice(at + 1) : 'latest';
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (at < 0 && colon > lastSlash) {
    reference = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const first = name.split('/')[0]!;
  const hasHost = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let host = hasHost ? first : 'docker.io';
  let repo = hasHost ? name.slice(first.length + 1) : name;
  if (host === 'docker.io') {
    host = 'registry-1.docker.io';
    if (!repo.includes('/')) repo = `library/${repo}`;
  }
  if (!repo || !/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(repo)) throw new Error(`invalid image reference ${JSON.stringify(ref)}`);
  return { host, repo, reference };
}

export interface Credentials {
  username: string;
  password: string;
}

/** Credentials for a registry host from a Docker config.json `auths` map. */
export function credentialsFrom(config: unknown, host: string): Credentials | undefined {
  const auths = (config as { auths?: Record<string, { auth?: string; username?: string; password?: string }> })?.auths ?? {};
  const aliases = host === 'registry-1.docker.io' ? ['registry-1.docker.io', 'index.docker.io', 'docker.io'] : [host];
  for (const [key, entry] of Object.entries(auths)) {
    const k = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (!aliases.includes(k)) continue;
    if (entry.username && entry.password !== undefined) return { username: entry.username, password: entry.password };
    if (entry.auth) {
      const d = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = d.indexOf(':');
      if (i > 0) return { username: d.slice(0, i), password: d.slice(i + 1) };
    }
  }
  return undefined;
}

export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
}

export interface RegistryClientOptions {
  credentials?: Credentials;
  insecure: boolean;
  skipTlsVerify: boolean;
  /** `pull` or `pull,push`. */
  actions: string;
}

export async function readAll(res: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export class RegistryClient {
  readonly host: string;
  readonly #o: RegistryClientOptions;
  #authorization: string | undefined;

  constructor(host: string, options: RegistryClientOptions) {
    this.host = host;
    this.#o = options;
  }

  #send(method: string, url: URL, headers: Record<string, string | number>, body?: Buffer | Readable): Promise<Response> {
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers: { ...headers, ...(this.#authorization ? { Authorization: this.#authorization } : {}) }, rejectUnauthorized: !this.#o.skipTlsVerify, timeout: 120_000 }, (res) =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer within 120 s`)));
      req.on('error', reject);
      if (body instanceof Readable) body.pipe(req);
      else req.end(body);
    });
  }

  url(path: string): URL {
    return new URL(`${this.#o.insecure ? 'http' : 'https'}://${this.host}${path}`);
  }

  /** Sends a request; on a 401 (with a replayable body) authenticates as the challenge asks and retries once. */
  async request(method: string, path: string | URL, headers: Record<string, string | number> = {}, body?: Buffer | Readable): Promise<Response> {
    const url = typeof path === 'string' ? this.url(path) : path;
    const res = await this.#send(method, url, headers, body);
    if (res.status !== 401 || body instanceof Readable) return res;
    await readAll(res.body);
    await this.#authenticate(String(res.headers['www-authenticate'] ?? ''), path);
    return this.#send(method, url, headers, body);
  }

  async #authenticate(challenge: string, path: string | URL): Promise<void> {
    const creds = this.#o.credentials;
    const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
    if (/^Basic/i.test(challenge)) {
      if (!basic) throw new RegistryError(`${this.host} wants credentials and none were given (DOCKER_CONFIG)`, 401);
      this.#authorization = basic;
      return;
    }
    const m = /^Bearer\s+(.*)$/i.exec(challenge);
    if (!m) throw new RegistryError(`${this.host} answered 401 without a usable challenge: ${challenge}`, 401);
    const params = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((p) => [p[1]!, p[2]!]));
    if (!params.realm) throw new RegistryError(`${this.host}: Bearer challenge without realm`, 401);
    const token = new URL(params.realm);
    if (params.service) token.searchParams.set('service', params.service);
    const repo = /\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(typeof path === 'string' ? path : path.pathname)?.[1];
    token.searchParams.set('scope', params.scope ?? `repository:${repo}:${this.#o.actions}`);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const lib = token.protocol === 'http:' ? http : https;
      lib.get(token, { headers: basic ? { Authorization: basic } : {}, rejectUnauthorized: !this.#o.skipTlsVerify }, resolve).on('error', reject);
    });
    const text = (await readAll(res)).toString('utf8');
    if ((res.statusCode ?? 0) >= 300) throw new RegistryError(`token from ${token.host}: HTTP ${res.statusCode} ${text.slice(0, 200)}`, res.statusCode ?? 0);
    const body = JSON.parse(text) as { token?: string; access_token?: string };
    this.#authorization = `Bearer ${body.token ?? body.access_token}`;
  }

  /** Fails with the registry's error text unless the status is one of `ok`. */
  async expect(res: Response, ok: number[], what: string): Promise<Response> {
    if (ok.includes(res.status)) return res;
    const text = (await readAll(res.body)).toString('utf8').slice(0, 300);
    throw new RegistryError(`${what}: HTTP ${res.status} ${text}`, res.status);
  }
}
