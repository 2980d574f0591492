// A small typed REST client over a KubeConfig: the verbs the services and the controller use, for
// any resource (custom resources and subresources included), with typed errors. Requests go
// through node:https with the credentials and TLS settings @kubernetes/client-node derives.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, errorFromStatus } from '../errors.ts';
import type { Patch } from '../patch.ts';
import type { KubeObject } from '../types.ts';
import { apiVersionOf, type ResourceRef } from './resources.ts';

export type KubePatch = Patch | { type: 'strategic'; value: Record<string, unknown> };

const CONTENT_TYPE: Record<KubePatch['type'], string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export interface KubeList<T> {
  items: T[];
  metadata: { resourceVersion?: string; continue?: string };
}

export interface Selectors {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WriteOptions {
  /** Overrides the client's field manager for this call. */
  fieldManager?: string;
  dryRun?: boolean;
}

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
}

export interface KubeClientOptions {
  /** Recorded in managedFields for every write (e.g. `tars-controller`). */
  fieldManager?: string;
  /** Per request; watches are not affected. Default 30 s. */
  timeoutMs?: number;
}

interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
}

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly fieldManager: string | undefined;
  private readonly timeoutMs: number;

  constructor(kubeConfig: KubeConfig, options: KubeClientOptions = {}) {
    this.kubeConfig = kubeConfig;
    this.fieldManager = options.fieldManager;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** `/apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>[/<subresource>]]`. */
  path(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
    let p = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
    if (ref.namespaced && namespace !== undefined) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${ref.plural}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (subresource !== undefined) p += `/${subresource}`;
    return p;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('no current cluster in the kubeconfig');
    const url = new URL(cluster.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = { ...(opts.headers as Record<string, string>), Accept: 'application/json' };
    if (payload) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    const what = `${method} ${path}`;
    const send = url.protocol === 'http:' ? http.request : https.request;
    const reqOpts = url.protocol === 'http:' ? { method, headers } : { ...opts, method, headers };
    return new Promise<T>((resolve, reject) => {
      const req = send(url, reqOpts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            body = undefined;
          }
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) resolve(body as T);
          else reject(errorFromStatus(code, (body as object | undefined) ?? { message: `${what}: HTTP ${code} ${text.slice(0, 200)}` }, what));
        });
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new ClusterError(`${what}: no answer within ${this.timeoutMs} ms`, 0, 'Timeout')));
      req.on('error', (err) => reject(err instanceof ClusterError ? err : new ClusterError(`${what}: ${err.message}`, 0, 'Unreachable')));
      req.end(payload);
    });
  }

  private writeQuery(options: WriteOptions = {}): Record<string, string | undefined> {
    return { fieldManager: options.fieldManager ?? this.fieldManager, dryRun: options.dryRun ? 'All' : undefined };
  }

  get<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, subresource?: string): Promise<T> {
    return this.request<T>('GET', this.path(ref, namespace, name, subresource));
  }

  /** Lists every page (500 objects each); `namespace` undefined lists all namespaces. */
  async list<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, selectors: Selectors = {}): Promise<KubeList<T>> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await this.request<KubeList<T>>('GET', this.path(ref, namespace), {
        query: { ...selectors, limit: 500, continue: cont },
      });
      // List items come without apiVersion/kind; fill them so objects look the same everywhere.
      for (const item of page.items ?? []) items.push({ apiVersion: apiVersionOf(ref), kind: ref.kind, ...item });
      cont = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion;
    } while (cont);
    return { items, metadata: { resourceVersion } };
  }

  create<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, options?: WriteOptions): Promise<T> {
    return this.request<T>('POST', this.path(ref, namespace), { body: obj, query: this.writeQuery(options) });
  }

  /** PUT; a `metadata.resourceVersion` in `obj` makes it conditional (ConflictError when stale). */
  replace<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, options?: WriteOptions): Promise<T> {
    return this.request<T>('PUT', this.path(ref, namespace, obj.metadata.name), { body: obj, query: this.writeQuery(options) });
  }

  replaceStatus<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, options?: WriteOptions): Promise<T> {
    return this.request<T>('PUT', this.path(ref, namespace, obj.metadata.name, 'status'), { body: obj, query: this.writeQuery(options) });
  }

  patch<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, patch: KubePatch, options: WriteOptions & { subresource?: string } = {}): Promise<T> {
    const body = patch.type === 'json' ? patch.ops : patch.value;
    return this.request<T>('PATCH', this.path(ref, namespace, name, options.subresource), { body, contentType: CONTENT_TYPE[patch.type], query: this.writeQuery(options) });
  }

  async delete(ref: ResourceRef, namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<void> {
    await this.request('DELETE', this.path(ref, namespace, name), { body: { apiVersion: 'v1', kind: 'DeleteOptions', ...options } });
  }

  /** `deletecollection` by selector (the controller drops PVCs and TConfigs this way). */
  async deleteCollection(ref: ResourceRef, namespace: string | undefined, selectors: Selectors, options: DeleteOptions = {}): Promise<void> {
    await this.request('DELETE', this.path(ref, namespace), { query: { ...selectors }, body: { apiVersion: 'v1', kind: 'DeleteOptions', ...options } });
  }
}
