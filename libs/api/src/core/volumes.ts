// The volume sources a TServer mount may use: core/v1 sources plus Tars' own local volume.
import { s, type Infer } from '../schema/dsl.ts';
import { QUANTITY } from '../meta/names.ts';

const FILE_MODE = { minimum: 0, maximum: 0o777 } as const;
const DEFAULT_FILE_MODE = 0o644;

const KeyToPath = s.object(
  { key: s.string({ minLength: 1 }), path: s.string({ minLength: 1 }), mode: s.int({ ...FILE_MODE, format: 'int32' }) },
  { required: ['key', 'path'] },
);

export const ConfigMapVolumeSource = s.object(
  {
    name: s.string({ maxLength: 253 }),
    items: s.array(KeyToPath),
    defaultMode: s.int({ ...FILE_MODE, format: 'int32', default: DEFAULT_FILE_MODE }),
    optional: s.bool(),
  },
  { required: ['name'] },
);

export const SecretVolumeSource = s.object(
  {
    secretName: s.string({ maxLength: 253 }),
    items: s.array(KeyToPath),
    defaultMode: s.int({ ...FILE_MODE, format: 'int32', default: DEFAULT_FILE_MODE }),
    optional: s.bool(),
  },
  { required: ['secretName'] },
);

export const PersistentVolumeClaimVolumeSource = s.object(
  { claimName: s.string({ maxLength: 253 }), readOnly: s.bool() },
  { required: ['claimName'] },
);

/** The fields of a PersistentVolumeClaimSpec the translator reads; the rest is passed through. */
export interface PersistentVolumeClaimSpec {
  accessModes?: string[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  storageClassName?: string;
  volumeMode?: string;
  selector?: { matchLabels?: Record<string, string> };
  [field: string]: unknown;
}

/** A PVC template (metadata + spec): Kubernetes' own type, kept opaque in the CRD. */
export const PersistentVolumeClaimTemplate = s.object(
  {
    metadata: s.opaque<{ name?: string; labels?: Record<string, string>; annotations?: Record<string, string> }>(),
    spec: s.opaque<PersistentVolumeClaimSpec>(),
  },
  { required: ['spec'] },
);

export const HostPathVolumeSource = s.object(
  {
    path: s.string({ pattern: '^/' }),
    type: s.enum(['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice']),
  },
  { required: ['path', 'type'] },
);

export const EmptyDirVolumeSource = s.object({
  medium: s.enum(['', 'Memory']),
  sizeLimit: s.string({ pattern: QUANTITY }),
});

const OWNER_ID = '^(0|[1-9][0-9]{0,5})$';

/** A directory on the node, provisioned by tars-agent (`tars-storage-class`). */
export const TLocalVolume = s.object({
  uid: s.string({ pattern: OWNER_ID, default: '0' }),
  gid: s.string({ pattern: OWNER_ID, default: '0' }),
  mode: s.string({ pattern: '^0?[0-7]{3}$', default: '755' }),
});
export type TLocalVolume = Infer<typeof TLocalVolume>;

export const MountSource = s.object(
  {
    configMap: ConfigMapVolumeSource,
    secret: SecretVolumeSource,
    persistentVolumeClaim: PersistentVolumeClaimVolumeSource,
    persistentVolumeClaimTemplate: PersistentVolumeClaimTemplate,
    hostPath: HostPathVolumeSource,
    emptyDir: EmptyDirVolumeSource,
    tLocalVolume: TLocalVolume,
  },
  {
    oneOfRequired: [
      ['configMap'],
      ['secret'],
      ['persistentVolumeClaim'],
      ['persistentVolumeClaimTemplate'],
      ['hostPath'],
      ['emptyDir'],
      ['tLocalVolume'],
    ],
  },
);
export type MountSource = Infer<typeof MountSource>;
