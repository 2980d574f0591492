// Records events through events.k8s.io/v1 (GA since 1.19). Readers of core/v1 events (tarskevent,
// kubectl) see the same objects with `involvedObject`/`message`.
import { truncateNote } from '../event-note.ts';
import type { EventInput } from '../types.ts';
import { kubeMicroTime } from '../time.ts';
import type { KubeClient } from './client.ts';
import { Resources } from './resources.ts';

export interface EventRecorderOptions {
  /** Who reports, e.g. `tars.io/controller` or `tarsregistry`. */
  reportingController: string;
  /** Which replica reports, e.g. the pod name. */
  reportingInstance: string;
  /** Namespace for events about cluster-scoped objects. Default `default`. */
  defaultNamespace?: string;
}

let sequence = 0;

/** A name unique per process and sortable by time, like client-go's `<name>.<unix nanos hex>`. */
function eventName(regardingName: string | undefined): string {
  const nanos = BigInt(Date.now()) * 1_000_000n + BigInt(sequence++ % 1_000_000);
  return `${(regardingName ?? 'object').toLowerCase().slice(0, 200)}.${nanos.toString(16)}`;
}

export class KubeEventRecorder {
  private readonly client: KubeClient;
  private readonly options: EventRecorderOptions;

  constructor(client: KubeClient, options: EventRecorderOptions) {
    this.client = client;
    this.options = options;
  }

  async record(event: EventInput): Promise<void> {
    const namespace = event.regarding.namespace || this.options.defaultNamespace || 'default';
    await this.client.create(Resources.Event, namespace, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: eventName(event.regarding.name), namespace },
      eventTime: kubeMicroTime(),
      reportingController: this.options.reportingController,
      reportingInstance: this.options.reportingInstance,
      action: event.action,
      reason: event.reason,
      type: event.type,
      note: truncateNote(event.note),
      regarding: event.regarding,
    });
  }
}
