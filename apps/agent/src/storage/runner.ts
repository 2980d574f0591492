// The storage runner: informers over PVCs, PVs and this agent's Node feed one work queue; each
// key is decided by decide.ts and executed here (directories through host-dirs.ts, objects
// through the KubeClient of @tars-ts/cluster).
import { AlreadyExistsError, ConflictError, NotFoundError, Resources, startKubeInformer, WorkQueue, type KubeClient, type Watch, type WorkResult } from '@tars-ts/cluster';
import type { Logger } from '@tars-ts/service';
import { decideClaim, decideVolume, type ClaimState } from './decide.ts';
import { removeVolumeDir, syncVolumeDir } from './host-dirs.ts';
import { HOSTNAME_LABEL, isOurClaim, isOurVolume, nodeIdentity, podSegmentsOf, PV_PROTECTION, SUPPORT_LOCAL_VOLUME, type Node, type NodeContext, type PersistentVolume, type PersistentVolumeClaim } from './volume.ts';

export interface StorageRunnerOptions {
  client: KubeClient;
  nodeName: string;
  /** TLVInHost: the base directory on the node, written into PVs. */
  hostBase: string;
  /** Where the agent's pod mounts it (upstream: /usr/local/app/tars/host-mount). */
  podBase: string;
  logger: Logger;
  /** First retry delay of a failed key (upstream: 1 s, capped at 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Informer resync: every cached object is looked at again this often. Default 10 min. */
  resyncMs?: number;
  /** start() fails when the informers have not synced by then (the pod restarts). Default 60 s. */
  syncTimeoutMs?: number;
  now?: () => number;
}

const claimKey = (ns: string, name: string) => `claim/${ns}/${name}`;
const volumeKey = (name: string) => `volume/${name}`;
const goneKey = (name: string) => `gone/${name}`;

export class StorageRunner {
  private readonly o: StorageRunnerOptions;
  private readonly ctx: NodeContext;
  private readonly queue: WorkQueue;
  private claims?: Watch<PersistentVolumeClaim>;
  private volumes?: Watch<PersistentVolume>;
  private node?: Watch<Node>;
  private supportLocalVolume = false;
  private hostname: string;
  /** Last state of PVs that disappeared, until their directory is dealt with. */
  private readonly goneVolumes = new Map<string, PersistentVolume>();
  /** What the runner did, for metrics and tests. */
  readonly counters = { provisioned: 0, synced: 0, reclaimed: 0, cleaned: 0, failures: 0 };

  constructor(options: StorageRunnerOptions) {
    this.o = options;
    this.ctx = { nodeName: options.nodeName, identity: nodeIdentity(options.nodeName), hostBase: options.hostBase, podBase: options.podBase };
    this.hostname = options.nodeName;
    this.queue = new WorkQueue({
      // One worker: a directory is never made and removed by two keys at once.
      concurrency: 1,
      baseDelayMs: options.baseDelayMs ?? 1000,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      onError: (key, err) => {
        this.counters.failures++;
        this.o.logger.error(`storage: ${key} failed: ${(err as Error)?.message ?? err}`);
      },
    });
  }

  get identity(): string {
    return this.ctx.identity;
  }

  /** Starts the informers and resolves once all three have synced; then the queue runs. */
  async start(): Promise<void> {
    const { client, logger } = this.o;
    const resyncMs = this.o.resyncMs ?? 600_000;
    const onError = (what: string) => (err: unknown) => logger.warn(`storage: ${what} watch failed: ${(err as Error)?.message ?? err}; retrying`);
    this.node = startKubeInformer<Node>(client, Resources.Node, {
      onAdd: (n) => this.nodeChanged(n),
      onUpdate: (n) => this.nodeChanged(n),
      onDelete: () => this.nodeChanged(undefined),
    }, { fieldSelector: `metadata.name=${this.o.nodeName}`, onError: onError('node') });
    this.volumes = startKubeInformer<PersistentVolume>(client, Resources.PersistentVolume, {
      onAdd: (pv) => this.volumeChanged(pv),
      onUpdate: (pv) => this.volumeChanged(pv),
      onDelete: (pv) => this.volumeGone(pv),
    }, { resyncMs, onError: onError('persistentvolume') });
    this.claims = startKubeInformer<PersistentVolumeClaim>(client, Resources.PersistentVolumeClaim, {
      onAdd: (c) => this.claimChanged(c),
      onUpdate: (c) => this.claimChanged(c),
      onDelete: (c) => this.claimGone(c),
    }, { resyncMs, onError: onError('persistentvolumeclaim') });
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = this.o.syncTimeoutMs ?? 60_000;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the node, PV and PVC watches did not sync within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([this.node.synced, this.volumes.synced, this.claims.synced]), timeout]);
    } finally {
      clearTimeout(timer);
    }
    this.queue.run((key) => this.reconcile(key));
    logger.info(`storage: provisioning ${this.ctx.hostBase} (mounted at ${this.ctx.podBase}) on node ${this.o.nodeName}, volume suffix ${this.ctx.identity}`);
  }

  async stop(): Promise<void> {
    await Promise.all([this.claims?.stop(), this.volumes?.stop(), this.node?.stop()]);
    await this.queue.shutdown();
  }

  private nodeChanged(node: Node | undefined): void {
    const support = node?.metadata.labels?.[SUPPORT_LOCAL_VOLUME] !== undefined;
    this.hostname = node?.metadata.labels?.[HOSTNAME_LABEL] || this.o.nodeName;
    if (support !== this.supportLocalVolume) {
      this.o.logger.info(`storage: node ${this.o.nodeName} ${support ? 'supports' : 'does not support'} local volumes`);
      this.supportLocalVolume = support;
      // Claims waiting for the label need not wait for their backoff.
      if (support) for (const c of this.claims?.list() ?? []) if (isOurClaim(c, this.ctx.identity)) this.queue.add(claimKey(c.metadata.namespace!, c.metadata.name!));
    }
  }

  private claimChanged(claim: PersistentVolumeClaim): void {
    if (isOurClaim(claim, this.ctx.identity)) this.queue.add(claimKey(claim.metadata.namespace!, claim.metadata.name!));
  }

  private claimGone(claim: PersistentVolumeClaim): void {
    // Its volume is reclaimed now rather than at the next resync.
    const bound = claim.spec?.volumeName;
    if (bound && this.volumes?.get(bound)) this.queue.add(volumeKey(bound));
  }

  private volumeChanged(pv: PersistentVolume): void {
    if (isOurVolume(pv, this.ctx.identity)) this.queue.add(volumeKey(pv.metadata.name!));
  }

  private volumeGone(pv: PersistentVolume): void {
    if (!isOurVolume(pv, this.ctx.identity)) return;
    // Kubernetes' pv-protection controller may drop the finalizer of an unbound PV before we
    // saw it terminating: the directory is still ours to remove (unless a claim still wants it).
    this.goneVolumes.set(pv.metadata.name!, pv);
    this.queue.add(goneKey(pv.metadata.name!));
    // Its claim, now Lost, is provisioned again at once (after the gone key: one worker, in order).
    const ref = pv.spec?.claimRef;
    if (ref?.namespace && ref.name) this.queue.add(claimKey(ref.namespace, ref.name));
  }

  private async reconcile(key: string): Promise<WorkResult> {
    const [kind, ...rest] = key.split('/');
    if (kind === 'claim') return this.reconcileClaim(rest[0]!, rest[1]!, key);
    if (kind === 'volume') return this.reconcileVolume(rest[0]!);
    if (kind === 'gone') return this.reconcileGone(rest[0]!);
    return 'done';
  }

  private async reconcileClaim(namespace: string, name: string, key: string): Promise<WorkResult> {
    const claim = this.claims!.get(name, namespace);
    if (!claim || !isOurClaim(claim, this.ctx.identity)) return 'done';
    const action = decideClaim(claim, {
      ...this.ctx,
      supportLocalVolume: this.supportLocalVolume,
      hostname: this.hostname,
      volumeExists: (n) => this.volumes!.get(n) !== undefined,
    });
    const what = `claim ${namespace}/${name}`;
    switch (action.do) {
      case 'nothing':
        this.o.logger.debug(`storage: ${what}: ${action.why}`);
        return 'done';
      case 'retry':
        if (this.queue.numRequeues(key) === 0) this.o.logger.info(`storage: ${what} waits: ${action.why}`);
        return 'retry';
      case 'later':
        this.o.logger.debug(`storage: ${what}: ${action.why}; again in ${action.ms} ms`);
        return { requeueAfterMs: action.ms };
      case 'provision': {
        await syncVolumeDir(this.ctx.podBase, action.dir.segments, action.owner);
        try {
          await this.o.client.create(Resources.PersistentVolume, undefined, action.volume);
        } catch (e) {
          if (e instanceof AlreadyExistsError) return 'done';
          throw e;
        }
        this.counters.provisioned++;
        this.o.logger.info(`storage: ${what}: made ${action.dir.podPath} (mode ${action.owner.mode.toString(8)}, ${action.owner.uid}:${action.owner.gid}) and volume ${action.dir.volumeName}`);
        return 'done';
      }
      case 'sync': {
        // Upstream waits two requeues so that a mode/owner change made together with the binding is applied once.
        if (this.queue.numRequeues(key) < 2) return 'retry';
        const result = await syncVolumeDir(this.ctx.podBase, action.dir.segments, action.owner);
        if (result !== 'unchanged') {
          this.counters.synced++;
          this.o.logger.info(`storage: ${what}: ${result} ${action.dir.podPath} (mode ${action.owner.mode.toString(8)}, ${action.owner.uid}:${action.owner.gid})`);
        }
        return 'done';
      }
    }
  }

  /** Whether the claim a PV names still exists: the cache first, a fresh read before saying "gone". */
  private async claimState(pv: PersistentVolume): Promise<ClaimState> {
    const ref = pv.spec?.claimRef;
    if (!ref?.name || !ref.namespace) return 'none';
    const cached = this.claims!.get(ref.name, ref.namespace);
    if (cached && (!ref.uid || cached.metadata.uid === ref.uid)) return 'present';
    try {
      const live = await this.o.client.get<PersistentVolumeClaim>(Resources.PersistentVolumeClaim, ref.namespace, ref.name);
      return !ref.uid || live.metadata.uid === ref.uid ? 'present' : 'gone';
    } catch (e) {
      if (e instanceof NotFoundError) return 'gone';
      throw e;
    }
  }

  private async removeDir(pv: PersistentVolume): Promise<void> {
    const segments = podSegmentsOf(pv, this.ctx.hostBase);
    if ('error' in segments) {
      this.o.logger.error(`storage: volume ${pv.metadata.name}: not removing its directory: ${segments.error}`);
      return;
    }
    const result = await removeVolumeDir(this.ctx.podBase, segments);
    if (result === 'removed') {
      this.counters.cleaned++;
      this.o.logger.info(`storage: volume ${pv.metadata.name}: removed ${this.ctx.podBase}/${segments.join('/')}`);
    }
  }

  private async reconcileVolume(name: string): Promise<WorkResult> {
    const pv = this.volumes!.get(name);
    if (!pv) return 'done';
    const action = decideVolume(pv, await this.claimState(pv), this.ctx.identity, (this.o.now ?? Date.now)());
    switch (action.do) {
      case 'nothing':
        return 'done';
      case 'later':
        return { requeueAfterMs: action.ms };
      case 'reclaim':
        // Directory first: if the agent stops in between, the PV is still there to try again.
        await this.removeDir(pv);
        await this.deleteVolume(pv, { uid: pv.metadata.uid });
        this.counters.reclaimed++;
        this.o.logger.info(`storage: volume ${name}: its claim is gone; deleted`);
        return 'done';
      case 'delete-idle':
        // The resourceVersion precondition: not if it got bound meanwhile.
        await this.deleteVolume(pv, { uid: pv.metadata.uid, resourceVersion: pv.metadata.resourceVersion });
        this.o.logger.info(`storage: volume ${name}: never bound for a day; deleted`);
        return 'done';
      case 'clean-and-release': {
        await this.removeDir(pv);
        const finalizers = (pv.metadata.finalizers ?? []).filter((f) => f !== PV_PROTECTION);
        try {
          await this.o.client.replace(Resources.PersistentVolume, undefined, { ...pv, metadata: { ...pv.metadata, finalizers } });
        } catch (e) {
          if (e instanceof NotFoundError) return 'done';
          if (e instanceof ConflictError) return 'retry';
          throw e;
        }
        return 'done';
      }
    }
  }

  private async deleteVolume(pv: PersistentVolume, preconditions: { uid?: string; resourceVersion?: string }): Promise<void> {
    try {
      await this.o.client.delete(Resources.PersistentVolume, undefined, pv.metadata.name!, { preconditions });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }

  private async reconcileGone(name: string): Promise<WorkResult> {
    const pv = this.goneVolumes.get(name);
    if (!pv) return 'done';
    if (this.volumes!.get(name)) {
      // Re-created meanwhile (a lost claim re-provisioned): the directory is in use again.
      this.goneVolumes.delete(name);
      return 'done';
    }
    // A claim that still exists (now Lost) gets the same directory back when re-provisioned.
    if ((await this.claimState(pv)) !== 'present') await this.removeDir(pv);
    this.goneVolumes.delete(name);
    return 'done';
  }
}
