import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import winston from 'winston';
import type TransportStream from 'winston-transport';
import { formatDay } from './format.ts';

// winston's runtime exports its transport base class as `Transport` (its typings call it `transport`).
const Transport = (winston as unknown as { Transport: typeof TransportStream }).Transport;

// winston formats put the finished line under this symbol (triple-beam's MESSAGE).
const MESSAGE = Symbol.for('message');

/**
 * An append-only file written synchronously: a line is on disk when `log()` returns, so nothing is
 * lost when the process dies right after. Framework services log little; the cost (one write
 * syscall per line) buys simplicity and ordering across transports.
 */
class AppendFile {
  readonly path: string;
  private fd: number;
  size: number;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  write(text: string): void {
    const buf = Buffer.from(text, 'utf8');
    writeSync(this.fd, buf);
    this.size += buf.length;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

export interface SizeRollingOptions {
  /** Directory of the log, created when missing: `<logpath>/<app>/<server>`. */
  dir: string;
  /** File name without `.log`: `<app>.<server>`. */
  basename: string;
  /** Roll before a write would make the file larger than this many bytes. */
  maxSize: number;
  /** Files kept including the current one: `<basename>.log`, `<basename>_1.log` … `_<maxFiles-1>.log`. */
  maxFiles: number;
  /** Between basename and roll number; winston-tars uses `_`. */
  concat?: string;
}

/** Local log rolling by size, with winston-tars TarsRotate's file names. */
export class SizeRollingFileTransport extends Transport {
  readonly options: Required<SizeRollingOptions>;
  private file: AppendFile | undefined;

  constructor(options: SizeRollingOptions) {
    super();
    if (!(options.maxSize > 0)) throw new Error(`maxSize must be positive, got ${options.maxSize}`);
    if (!(Number.isInteger(options.maxFiles) && options.maxFiles >= 1)) throw new Error(`maxFiles must be an integer >= 1, got ${options.maxFiles}`);
    this.options = { concat: '_', ...options };
    mkdirSync(options.dir, { recursive: true });
  }

  get filename(): string {
    return join(this.options.dir, `${this.options.basename}.log`);
  }

  rolledFilename(n: number): string {
    return join(this.options.dir, `${this.options.basename}${this.options.concat}${n}.log`);
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.writeLine(String(info[MESSAGE]) + '\n');
    this.emit('logged', info);
    next();
  }

  writeLine(text: string): void {
    let file = (this.file ??= new AppendFile(this.filename));
    if (file.size > 0 && file.size + Buffer.byteLength(text) > this.options.maxSize) {
      this.roll();
      file = this.file = new AppendFile(this.filename);
    }
    file.write(text);
  }

  override close(): void {
    this.file?.close();
    this.file = undefined;
  }

  private roll(): void {
    this.close();
    const { maxFiles } = this.options;
    if (maxFiles === 1) {
      rmSync(this.filename, { force: true });
      return;
    }
    rmSync(this.rolledFilename(maxFiles - 1), { force: true });
    for (let i = maxFiles - 2; i >= 1; i--) renameIfExists(this.rolledFilename(i), this.rolledFilename(i + 1));
    renameIfExists(this.filename, this.rolledFilename(1));
  }
}

export interface DayFileOptions {
  dir: string;
  /** `<app>.<server>` or `<app>.<server>_<name>`; the file is `<basename>_<YYYYMMDD>.log`. */
  basename: string;
  /** Source of the date (tests); defaults to the wall clock. */
  clock?: () => Date;
}

/** A log that starts a new file each local day, named like winston-tars TarsDate and TarsCpp day logs. */
export class DayFileTransport extends Transport {
  readonly options: DayFileOptions;
  private file: AppendFile | undefined;
  private day = '';

  constructor(options: DayFileOptions) {
    super();
    this.options = options;
    mkdirSync(options.dir, { recursive: true });
  }

  filenameFor(day: string): string {
    return join(this.options.dir, `${this.options.basename}_${day}.log`);
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.writeLine(String(info[MESSAGE]) + '\n');
    this.emit('logged', info);
    next();
  }

  writeLine(text: string): void {
    const day = formatDay(this.options.clock?.() ?? new Date());
    if (day !== this.day || !this.file) {
      this.close();
      this.file = new AppendFile(this.filenameFor(day));
      this.day = day;
    }
    this.file.write(text);
  }

  override close(): void {
    this.file?.close();
    this.file = undefined;
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
