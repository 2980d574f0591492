// Where the exits of the supervised server go. On Kubernetes the controller writes TExitedRecord
// from pod deletions (k8sframework.md §4.6, §5.2) and tarsnode only reports process exits through
// notify; here every exit is also handed to these sinks (the standalone app can persist them).
import { appendFile } from 'node:fs/promises';
import type { ExitRecord } from './supervisor.ts';

export interface ExitRecordSink {
  record(entry: ExitRecord): void | Promise<void>;
}

/** One line per exit: what a person reading the agent's log needs. */
export function describeExit(r: ExitRecord): string {
  const how = r.reason === 'spawn-failed' ? `did not start: ${r.error}` : r.signal ? `exited by signal ${r.signal}` : `exited with code ${r.code}`;
  const next = r.restartInMs === undefined ? 'no restart' : `restart in ${r.restartInMs} ms`;
  return `${r.app}.${r.server} pid ${r.pid} ${how} (${r.reason}, ran ${r.runtimeMs} ms, ${next})`;
}

/** The newest `limit` exits, newest first (TExitedRecord keeps 60 by default). */
export class MemoryExitSink implements ExitRecordSink {
  readonly limit: number;
  private readonly entries: ExitRecord[] = [];

  constructor(limit = 60) {
    this.limit = limit;
  }

  record(entry: ExitRecord): void {
    this.entries.unshift(entry);
    if (this.entries.length > this.limit) this.entries.length = this.limit;
  }

  list(): ExitRecord[] {
    return [...this.entries];
  }
}

/** Appends each exit as one JSON line to a file. */
export class JsonLinesExitSink implements ExitRecordSink {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  async record(entry: ExitRecord): Promise<void> {
    await appendFile(this.file, JSON.stringify(entry) + '\n');
  }
}

/** Passes each exit to a function (e.g. the standalone app's store). */
export function callbackExitSink(fn: (entry: ExitRecord) => void | Promise<void>): ExitRecordSink {
  return { record: fn };
}
