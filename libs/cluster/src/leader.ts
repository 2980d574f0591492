// Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules: a contender takes the
// lease when it is free (no holder) or when the holder has not renewed it for leaseDuration, as
// measured on the contender's own clock since it last saw the record change (no clock-skew
// trust). Writes are conditional on resourceVersion, so two contenders cannot both win.
// The leader renews every retryPeriod; if it cannot renew within renewDeadline it stops leading.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ClusterError, ConflictError, NotFoundError, AlreadyExistsError } from './errors.ts';
import type { KubeClient } from './kube/client.ts';
import { Resources } from './kube/resources.ts';
import { kubeMicroTime } from './time.ts';
import type { KubeObject } from './types.ts';

interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

export interface LeaderElectorOptions {
  client: KubeClient;
  namespace: string;
  /** Upstream: `tars-controller-manger` in `tars-system`. */
  name: string;
  /** Default `<hostname>_<uuid>`. */
  identity?: string;
  /** Default 15 s; whole seconds (the Lease field is in seconds). */
  leaseDurationMs?: number;
  /** Default 10 s: a leader that cannot renew this long steps down. */
  renewDeadlineMs?: number;
  /** Default 2 s. */
  retryPeriodMs?: number;
  onStartedLeading?: () => void;
  /**
   * Called when leadership is lost or released. Upstream exits the process here; without an exit
   * the elector keeps contending and may lead again (onStartedLeading once more).
   */
  onStoppedLeading?: () => void;
  onNewLeader?: (identity: string) => void;
}

export class LeaderElector {
  readonly identity: string;
  private readonly o: Required<Omit<LeaderElectorOptions, 'onStartedLeading' | 'onStoppedLeading' | 'onNewLeader' | 'identity'>> & LeaderElectorOptions;
  private observed?: { rv: string; holder: string; at: number; durationMs: number };
  private leading = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private lastRenew = 0;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(options: LeaderElectorOptions) {
    this.o = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...options };
    if (this.o.renewDeadlineMs >= this.o.leaseDurationMs) throw new Error('renewDeadline must be shorter than leaseDuration');
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last seen on the lease ('' when free or unknown). */
  leader(): string {
    return this.observed?.holder ?? '';
  }

  /** Starts contending; resolves once leading (or when stopped before). */
  start(): Promise<void> {
    if (this.loop) throw new Error('leader elector already started');
    let becameLeader!: () => void;
    const leading = new Promise<void>((r) => (becameLeader = r));
    this.loop = this.run(becameLeader);
    return leading;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms * (1 + Math.random() * 0.2));
    });
  }

  private async run(becameLeader: () => void): Promise<void> {
    while (!this.stopped) {
      const ok = await this.tryAcquireOrRenew().catch(() => false);
      if (this.stopped) break;
      if (ok) {
        this.lastRenew = Date.now();
        if (!this.leading) {
          this.leading = true;
          becameLeader();
          this.o.onStartedLeading?.();
        }
      } else if (this.leading && (this.leaderIsOther() || Date.now() - this.lastRenew > this.o.renewDeadlineMs)) {
        // Someone else holds the lease, or renewing failed for too long: stop at once.
        this.stepDown();
      }
      await this.sleep(this.o.retryPeriodMs);
    }
    becameLeader();
  }

  private leaderIsOther(): boolean {
    const holder = this.observed?.holder ?? '';
    return holder !== '' && holder !== this.identity;
  }

  private stepDown(): void {
    if (!this.leading) return;
    this.leading = false;
    this.o.onStoppedLeading?.();
  }

  private durationSeconds(): number {
    return Math.max(1, Math.round(this.o.leaseDurationMs / 1000));
  }

  /** One round: read the lease, then create, renew or take it if allowed. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name } = this.o;
    const now = kubeMicroTime();
    let lease: Lease;
    try {
      lease = await client.get<Lease>(Resources.Lease, namespace, name);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      try {
        const created = await client.create<Lease>(Resources.Lease, namespace, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec: { holderIdentity: this.identity, leaseDurationSeconds: this.durationSeconds(), acquireTime: now, renewTime: now, leaseTransitions: 0 },
        });
        this.observe(created);
        return true;
      } catch (e) {
        if (e instanceof AlreadyExistsError) return false;
        throw e;
      }
    }
    this.observe(lease);
    const holder = lease.spec?.holderIdentity ?? '';
    const expired = Date.now() > this.observed!.at + this.observed!.durationMs;
    if (holder !== '' && holder !== this.identity && !expired) return false;
    const spec = lease.spec ?? {};
    const takingOver = holder !== this.identity;
    const updated: Lease = {
      ...lease,
      spec: {
        holderIdentity: this.identity,
        leaseDurationSeconds: this.durationSeconds(),
        acquireTime: takingOver ? now : (spec.acquireTime ?? now),
        renewTime: now,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver && holder !== '' ? 1 : 0),
      },
    };
    try {
      this.observe(await client.replace<Lease>(Resources.Lease, namespace, updated));
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false; // someone else wrote first
      throw err;
    }
  }

  private observe(lease: Lease): void {
    const holder = lease.spec?.holderIdentity ?? '';
    const rv = lease.metadata.resourceVersion ?? '';
    if (this.observed?.rv !== rv) {
      if (holder !== this.observed?.holder && holder !== '') this.o.onNewLeader?.(holder);
      this.observed = { rv, holder, at: Date.now(), durationMs: (lease.spec?.leaseDurationSeconds ?? this.durationSeconds()) * 1000 };
    }
  }

  /**
   * Stops contending. With `release` (default) a leader clears the holder so another contender
   * takes over at once instead of after leaseDuration.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    if (this.leading && options.release !== false) {
      try {
        const { client, namespace, name } = this.o;
        const lease = await client.get<Lease>(Resources.Lease, namespace, name);
        if (lease.spec?.holderIdentity === this.identity) {
          const now = kubeMicroTime();
          await client.replace<Lease>(Resources.Lease, namespace, {
            ...lease,
            spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1, acquireTime: now, renewTime: now },
          });
        }
      } catch (err) {
        if (!(err instanceof ClusterError)) throw err;
      }
    }
    this.stepDown();
  }
}
