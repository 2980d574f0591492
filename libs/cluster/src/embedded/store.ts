// The persisted object store behind EmbeddedClusterState: one JSON file per object under
// `<dataDir>/objects/<plural>/`, written atomically; one global, monotonic resourceVersion.
// Mutations run one at a time (check, write the file, then publish), so a reader never sees an
// object that is not on disk and two writers cannot both pass a resourceVersion check.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../types.ts';
import { atomicWrite, objectFileName } from './files.ts';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoreEvent {
  type: StoreEventType;
  object: KubeObject;
}
type Listener = (event: StoreEvent) => void;

const RV_FILE = 'resource-version';

export class ObjectStore {
  readonly dataDir: string;
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private lastRV = 0;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(dataDir: string) {
    this.dataDir = dataDir;
  }

  /** Loads every object file under `<dataDir>/objects`; unreadable files stop the open with their path. */
  static async open(dataDir: string): Promise<ObjectStore> {
    const store = new ObjectStore(dataDir);
    const root = join(dataDir, 'objects');
    await mkdir(root, { recursive: true });
    for (const bucket of await readdir(root)) {
      const dir = join(root, bucket);
      const map = store.bucket(bucket);
      for (const file of await readdir(dir)) {
        // A temp file is a write that crashed before its rename: the old file is still current.
        if (file.startsWith('.') && file.endsWith('.tmp')) await rm(join(dir, file), { force: true });
        if (!file.endsWith('.json') || file.startsWith('.')) continue;
        const path = join(dir, file);
        let obj: KubeObject;
        try {
          obj = JSON.parse(await readFile(path, 'utf8')) as KubeObject;
        } catch (err) {
          throw new Error(`embedded cluster state: cannot read ${path}: ${(err as Error).message}`);
        }
        map.set(obj.metadata.name ?? '', obj);
        store.lastRV = Math.max(store.lastRV, Number(obj.metadata.resourceVersion ?? 0) || 0);
      }
    }
    const saved = await readFile(join(dataDir, RV_FILE), 'utf8').catch(() => '0');
    store.lastRV = Math.max(store.lastRV, Number(saved.trim()) || 0);
    return store;
  }

  private bucket(name: string): Map<string, KubeObject> {
    let map = this.buckets.get(name);
    if (!map) {
      map = new Map();
      this.buckets.set(name, map);
    }
    return map;
  }

  private path(bucket: string, name: string): string {
    return join(this.dataDir, 'objects', bucket, objectFileName(name));
  }

  /** Runs mutations one after another, whatever their outcome. */
  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The stored object (not a copy: callers must not modify it). */
  peek(bucket: string, name: string): KubeObject | undefined {
    return this.buckets.get(bucket)?.get(name);
  }

  all(bucket: string): KubeObject[] {
    return [...(this.buckets.get(bucket)?.values() ?? [])];
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()];
  }

  nextResourceVersion(): string {
    return String(++this.lastRV);
  }

  /** Persists then publishes `obj` (its resourceVersion already set by the caller). Call inside exclusive(). */
  async put(bucket: string, obj: KubeObject): Promise<void> {
    const name = obj.metadata.name ?? '';
    await atomicWrite(this.path(bucket, name), `${JSON.stringify(obj, null, 1)}\n`);
    const map = this.bucket(bucket);
    const existed = map.has(name);
    map.set(name, obj);
    this.publish(bucket, { type: existed ? 'MODIFIED' : 'ADDED', object: obj });
  }

  /** Removes `name`; the delete event carries `tombstone` (with a fresh resourceVersion). Call inside exclusive(). */
  async remove(bucket: string, tombstone: KubeObject): Promise<void> {
    const name = tombstone.metadata.name ?? '';
    // The counter file keeps resourceVersions monotonic across restarts even when the object
    // with the highest one is gone.
    await atomicWrite(join(this.dataDir, RV_FILE), `${this.lastRV}\n`);
    await rm(this.path(bucket, name), { force: true });
    this.buckets.get(bucket)?.delete(name);
    this.publish(bucket, { type: 'DELETED', object: tombstone });
  }

  subscribe(bucket: string, listener: Listener): () => void {
    let set = this.listeners.get(bucket);
    if (!set) {
      set = new Set();
      this.listeners.set(bucket, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  private publish(bucket: string, event: StoreEvent): void {
    for (const l of this.listeners.get(bucket) ?? []) l(event);
  }
}
