// Events in standalone mode: the newest `limit` kept in memory in the core/v1 shape watchers get
// on Kubernetes, and appended to `<dataDir>/events.jsonl` (a torn last line is skipped on load;
// the file is rewritten to the newest `limit` when it grows past twice that).
import { randomUUID } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { truncateNote } from '../event-note.ts';
import { kubeMicroTime, kubeTime } from '../time.ts';
import type { ClusterEvent, EventInput } from '../types.ts';
import { atomicWrite } from './files.ts';

export class EventLog {
  private readonly path: string;
  private readonly limit: number;
  private events: ClusterEvent[] = [];
  private linesInFile = 0;
  private sequence = 0;

  private constructor(dataDir: string, limit: number) {
    this.path = join(dataDir, 'events.jsonl');
    this.limit = limit;
  }

  static async open(dataDir: string, limit: number): Promise<EventLog> {
    const log = new EventLog(dataDir, limit);
    const text = await readFile(log.path, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      log.linesInFile++;
      try {
        log.events.push(JSON.parse(line) as ClusterEvent);
      } catch {
        // a line torn by a crash
      }
    }
    log.events = log.events.slice(-limit);
    return log;
  }

  list(): ClusterEvent[] {
    return this.events.map((e) => structuredClone(e));
  }

  /** Builds, keeps and persists the event; the caller assigns `resourceVersion`. */
  async append(input: EventInput, namespace: string, resourceVersion: string, reporter: { component: string; instance: string }): Promise<ClusterEvent> {
    const now = new Date();
    const event: ClusterEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${input.regarding.name ?? 'object'}.${(now.getTime() * 1000 + (this.sequence++ % 1000)).toString(16)}`,
        namespace,
        uid: randomUUID(),
        resourceVersion,
        creationTimestamp: kubeTime(now),
      },
      involvedObject: input.regarding,
      reason: input.reason,
      message: truncateNote(input.note),
      type: input.type,
      action: input.action,
      eventTime: kubeMicroTime(now),
      firstTimestamp: null,
      lastTimestamp: null,
      reportingComponent: reporter.component,
      reportingInstance: reporter.instance,
      source: {},
    };
    this.events.push(event);
    if (this.events.length > this.limit) this.events.shift();
    if (this.linesInFile + 1 > 2 * this.limit) {
      await atomicWrite(this.path, this.events.map((e) => `${JSON.stringify(e)}\n`).join(''));
      this.linesInFile = this.events.length;
    } else {
      await appendFile(this.path, `${JSON.stringify(event)}\n`);
      this.linesInFile++;
    }
    return event;
  }
}
