// What to do for one claim or one volume, given what the caches (and, for "is the claim really
// gone", a fresh read) say. Pure: the runner executes the answer.
import { DELAY_BIND, isOurVolume, ownershipOf, PV_PROTECTION, volumeDirOf, volumeFor, type DirOwnership, type NodeContext, type PersistentVolume, type PersistentVolumeClaim, type VolumeDir } from './volume.ts';

export const PENDING_RETRY_MS = 60_000;
export const IDLE_VOLUME_MS = 24 * 3600_000;
export const IDLE_RECHECK_MS = 10 * 60_000;

export type ClaimAction =
  | { do: 'nothing'; why: string }
  /** Make the directory, then create the PV. */
  | { do: 'provision'; dir: VolumeDir; owner: DirOwnership; volume: PersistentVolume }
  /** This node cannot provision it (yet): retry with backoff. */
  | { do: 'retry'; why: string }
  /** The PV exists while the claim still waits (another ordinal holds it): look again later. */
  | { do: 'later'; ms: number; why: string }
  /** Bound to our PV: re-apply mode and owner (they may have been changed by hand). */
  | { do: 'sync'; dir: VolumeDir; owner: DirOwnership };

export interface ClaimContext extends NodeContext {
  supportLocalVolume: boolean;
  /** The node's `kubernetes.io/hostname` (the PV's node affinity). */
  hostname: string;
  volumeExists(name: string): boolean;
}

export function decideClaim(claim: PersistentVolumeClaim, ctx: ClaimContext): ClaimAction {
  if (claim.metadata.deletionTimestamp) return { do: 'nothing', why: 'terminating (its volume is reclaimed once it is gone)' };
  const phase = claim.status?.phase ?? 'Pending';
  const dir = volumeDirOf(claim, ctx);
  if ('error' in dir) return { do: 'nothing', why: dir.error };
  const bound = claim.spec?.volumeName;
  if (bound && bound !== dir.volumeName) return { do: 'nothing', why: `bound to ${bound}, not to ${dir.volumeName}` };
  const owner = ownershipOf(claim);
  if ('error' in owner) return { do: 'nothing', why: owner.error };

  if (phase === 'Bound') return bound ? { do: 'sync', dir, owner } : { do: 'nothing', why: 'bound without a volume name' };
  if (phase !== 'Pending' && phase !== 'Lost') return { do: 'nothing', why: `phase ${phase}` };
  if (ctx.volumeExists(dir.volumeName)) {
    return phase === 'Pending'
      ? { do: 'later', ms: PENDING_RETRY_MS, why: `volume ${dir.volumeName} exists (held by another claim?)` }
      : { do: 'later', ms: PENDING_RETRY_MS, why: `lost claim: volume ${dir.volumeName} still exists` };
  }
  if (dir.dir !== DELAY_BIND && !ctx.supportLocalVolume) return { do: 'retry', why: `node ${ctx.nodeName} has no label tars.io/SupportLocalVolume` };
  const volume = volumeFor(claim, dir, ctx.hostname);
  if ('error' in volume) return { do: 'nothing', why: volume.error };
  return { do: 'provision', dir, owner, volume };
}

/** What a fresh look at the claim a volume names found. */
export type ClaimState = 'none' | 'present' | 'gone';

export type VolumeAction =
  | { do: 'nothing'; why: string }
  | { do: 'later'; ms: number; why: string }
  /** Terminating and the claim is gone: remove the directory, then drop our finalizer. */
  | { do: 'clean-and-release' }
  /** Its claim is gone: remove the directory, then delete the PV. */
  | { do: 'reclaim' }
  /** Never bound and idle for a day (made for a pod that went to another node): delete it. */
  | { do: 'delete-idle' };

export function decideVolume(pv: PersistentVolume, claim: ClaimState, identity: string, now: number): VolumeAction {
  if (!isOurVolume(pv, identity)) return { do: 'nothing', why: 'not provisioned by this node' };
  if (pv.metadata.deletionTimestamp) {
    if (!pv.metadata.finalizers?.includes(PV_PROTECTION)) return { do: 'nothing', why: 'terminating without our finalizer' };
    // A claim that exists (even terminating: a pod may still use it) keeps the data.
    if (claim === 'present') return { do: 'later', ms: PENDING_RETRY_MS, why: 'terminating but its claim still exists' };
    return { do: 'clean-and-release' };
  }
  if (claim === 'gone') return { do: 'reclaim' };
  if (claim === 'none' && pv.status?.phase === 'Available') {
    const created = Date.parse(pv.metadata.creationTimestamp ?? '');
    const age = Number.isNaN(created) ? 0 : now - created;
    if (age >= IDLE_VOLUME_MS) return { do: 'delete-idle' };
    return { do: 'later', ms: Math.min(IDLE_RECHECK_MS, IDLE_VOLUME_MS - age), why: 'available, not idle for a day yet' };
  }
  return { do: 'nothing', why: `phase ${pv.status?.phase ?? 'unknown'}` };
}
