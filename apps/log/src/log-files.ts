/**
 * Appending to the remote log files. Writes to one file happen in the order the calls arrived;
 * different files are written independently. Handles are kept open (at most `maxOpen`) and
 * reopened after `reopenMs` (10 s, as upstream's TC_RollByTime) so a file that was moved or
 * deleted is recreated; missing directories are created.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { LogTarget } from './log-target.ts';

export interface LogFilesOptions {
  /** The log directory (`/tars/log<logpath>`). */
  root: string;
  maxOpen?: number;
  reopenMs?: number;
  clock?: () => number;
}

interface OpenFile {
  path: string;
  handle: FileHandle | undefined;
  openedAt: number;
  /** The last write queued for this file; the next one waits for it. */
  tail: Promise<void>;
  pending: number;
}

export class LogFiles {
  readonly root: string;
  readonly #maxOpen: number;
  readonly #reopenMs: number;
  readonly #clock: () => number;
  // Insertion order = least recently used first (entries are re-inserted on use).
  readonly #files = new Map<string, OpenFile>();
  #closed = false;

  constructor(o: LogFilesOptions) {
    this.root = resolve(o.root);
    this.#maxOpen = o.maxOpen ?? 256;
    this.#reopenMs = o.reopenMs ?? 10_000;
    this.#clock = o.clock ?? Date.now;
  }

  /** Absolute path of a target; refuses (defence in depth) any that would leave the root. */
  pathOf(target: LogTarget): string {
    const path = resolve(join(this.root, ...target.dirs, target.file));
    if (!path.startsWith(this.root + sep)) throw new Error(`refused: ${path} is outside the log directory ${this.root}`);
    return path;
  }

  /** Appends `data` to the target's file; resolves once it is written. */
  append(target: LogTarget, data: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the log files are closed'));
    const path = this.pathOf(target);
    let f = this.#files.get(path);
    if (f) this.#files.delete(path);
    else f = { path, handle: undefined, openedAt: 0, tail: Promise.resolve(), pending: 0 };
    this.#files.set(path, f);
    const file = f;
    file.pending++;
    const write = file.tail.then(() => this.#write(file, data));
    file.tail = write.catch(() => undefined).finally(() => {
      file.pending--;
    });
    this.#evict();
    return write;
  }

  get openFiles(): number {
    let n = 0;
    for (const f of this.#files.values()) if (f.handle) n++;
    return n;
  }

  /** Waits for queued writes and closes every handle. */
  async close(): Promise<void> {
    this.#closed = true;
    const files = [...this.#files.values()];
    await Promise.all(files.map((f) => f.tail));
    await Promise.all(files.map((f) => this.#closeHandle(f)));
    this.#files.clear();
  }

  async #write(f: OpenFile, data: string): Promise<void> {
    const now = this.#clock();
    if (f.handle && (now - f.openedAt >= this.#reopenMs || now < f.openedAt)) await this.#closeHandle(f);
    if (!f.handle) {
      f.handle = await openForAppend(f.path);
      f.openedAt = now;
    }
    // appendFile loops until all of it is written (a single write() may write less)
    await f.handle.appendFile(data);
  }

  async #closeHandle(f: OpenFile): Promise<void> {
    const h = f.handle;
    f.handle = undefined;
    await h?.close().catch(() => undefined);
  }

  // Closes the least recently used idle files beyond maxOpen and forgets them.
  #evict(): void {
    if (this.#files.size <= this.#maxOpen) return;
    for (const [path, f] of this.#files) {
      if (this.#files.size <= this.#maxOpen) break;
      if (f.pending > 0) continue;
      this.#files.delete(path);
      void this.#closeHandle(f);
    }
  }
}

async function openForAppend(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'a');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(join(path, '..'), { recursive: true });
    return open(path, 'a');
  }
}
