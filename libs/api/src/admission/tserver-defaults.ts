// The mutating-webhook rules for TServer (v1beta3): labels, readiness gates, replica bounds,
// release time and node image. Runs after the schema defaults, on create and update.
import { fieldError, type FieldError } from '../errors.ts';
import { Annotation, Label, MAX_REPLICAS, TARS_ACTIVE_GATE } from '../meta/constants.ts';
import type { TServer } from '../kinds/tserver/v1beta3.ts';
import type { TFrameworkConfig } from '../kinds/tframeworkconfig/v1beta3.ts';
import { formatTime, removeLabel, setLabel, unique, type Mutated } from './common.ts';

export interface TServerDefaultsContext {
  /** The namespace's `tars-framework` config; its `nodeImage` is the default tarsnode image. */
  frameworkConfig?: Pick<TFrameworkConfig, 'nodeImage'>;
  now: Date;
}

const REPLICAS_ANNOTATION = /^[1-9]?[0-9]$/;

export interface ReplicaBounds {
  min: number;
  max: number;
}

/**
 * The bounds the `tars.io/MinReplicas`/`MaxReplicas` annotations set (0..99 without them).
 * Also for the webhook's `tservers/scale` handler: upstream let `kubectl scale` bypass them.
 */
export function replicaBounds(annotations: Record<string, string> | undefined, errors: FieldError[] = []): ReplicaBounds {
  const read = (key: string, fallback: number): number => {
    const text = annotations?.[key];
    if (text === undefined) return fallback;
    if (!REPLICAS_ANNOTATION.test(text)) {
      errors.push(fieldError(`metadata.annotations[${JSON.stringify(key)}]`, `unexpected annotation format ${JSON.stringify(text)}, want an integer 0..${MAX_REPLICAS}`));
      return fallback;
    }
    return Number(text);
  };
  const min = read(Annotation.MinReplicas, 0);
  const max = read(Annotation.MaxReplicas, MAX_REPLICAS);
  if (min > max) {
    errors.push(fieldError(`metadata.annotations[${JSON.stringify(Annotation.MinReplicas)}]`, `${Annotation.MinReplicas} (${min}) is greater than ${Annotation.MaxReplicas} (${max})`));
  }
  return { min, max };
}

export function clampReplicas(replicas: number, bounds: ReplicaBounds): number {
  return Math.min(Math.max(replicas, bounds.min), bounds.max);
}

export function defaultTServer(input: TServer, ctx: TServerDefaultsContext): Mutated<TServer> {
  const obj = structuredClone(input);
  const { spec } = obj;
  const meta = obj.metadata;
  const k8s = spec.k8s;
  const errors: FieldError[] = [];

  setLabel(meta, Label.ServerApp, spec.app);
  setLabel(meta, Label.ServerName, spec.server);
  setLabel(meta, Label.SubType, spec.subType);

  if (spec.subType === 'tars') {
    if (spec.tars !== undefined) setLabel(meta, Label.Template, spec.tars.template);
    // tarsnode reports liveness through this condition; it must gate readiness of every tars pod.
    k8s.readinessGates = [TARS_ACTIVE_GATE, ...unique((k8s.readinessGates ?? []).filter((g) => g !== TARS_ACTIVE_GATE))];
  } else {
    removeLabel(meta, Label.Template);
    if (spec.normal !== undefined) spec.normal.ports ??= [];
    if (k8s.readinessGates !== undefined) k8s.readinessGates = unique(k8s.readinessGates);
  }

  // Host ports and host IPC collide when two pods of the server share a node.
  if ((k8s.hostPorts?.length ?? 0) > 0 || k8s.hostIPC === true) k8s.notStacked = true;

  const bounds = replicaBounds(meta.annotations, errors);

  if (spec.release === undefined) {
    k8s.replicas = 0;
    removeLabel(meta, Label.ServerID);
  } else {
    const release = spec.release;
    k8s.replicas = clampReplicas(k8s.replicas ?? 0, bounds);
    release.time ??= formatTime(ctx.now);
    setLabel(meta, Label.ServerID, release.id);
    if (spec.subType === 'tars') {
      if (release.nodeImage === undefined) {
        const nodeImage = ctx.frameworkConfig?.nodeImage;
        if (nodeImage?.image === undefined || nodeImage.image === '') {
          errors.push(fieldError('spec.release.nodeImage', 'no default node image has been set (TFrameworkConfig tars-framework nodeImage.image)'));
        } else {
          release.nodeImage = nodeImage.image;
          if (nodeImage.secret) release.nodeSecret = nodeImage.secret;
          else delete release.nodeSecret;
        }
      }
    } else {
      delete release.nodeImage;
      delete release.nodeSecret;
    }
  }

  return errors.length > 0 ? { ok: false, errors } : { ok: true, object: obj };
}
