// TConfig: one version of a server's (or, with `server: ""`, an app's) config file. Fields live at
// the top level. v1beta2 and v1beta3 have the same shape; this file declares both.
import { s } from '../schema/dsl.ts';
import { CONFIG_NAME, TARS_NAME } from '../meta/names.ts';
import { AGE_COLUMN, resourceSchema, type KindDefinition, type ResourceOf, type VersionDefinition } from './resource.ts';

/** `m` = the master config; `0`..`99` = an override for the pod with that ordinal ("slave"). */
export const POD_SEQ = '^(m|0|[1-9][0-9]?)$';
export const MASTER_POD_SEQ = 'm';

export const TConfigSchema = resourceSchema(
  {
    app: s.string({ pattern: TARS_NAME, maxLength: 63 }),
    /** Absent or `""`: an app-level config (no default, so objects stay as written). */
    server: s.string({ pattern: '^([A-Za-z][0-9A-Za-z]*)?$', maxLength: 63 }),
    configName: s.string({ pattern: CONFIG_NAME, maxLength: 63 }),
    configContent: s.string({ maxLength: 1_560_000 }),
    podSeq: s.string({ pattern: POD_SEQ, default: MASTER_POD_SEQ }),
    version: s.string({ pattern: '^([0-9a-z][-0-9a-z]*)?[0-9a-z]$', maxLength: 63 }),
    updateTime: s.dateTime(),
    updatePerson: s.string({ maxLength: 100 }),
    updateReason: s.string({ maxLength: 1600 }),
    activated: s.bool({ default: true }),
  },
  { required: ['app', 'configName', 'configContent'] },
);
export type TConfig = ResourceOf<typeof TConfigSchema, 'v1beta3', 'TConfig'>;
export type TConfigV1beta2 = ResourceOf<typeof TConfigSchema, 'v1beta2', 'TConfig'>;

const printerColumns = [
  { name: 'App', type: 'string', jsonPath: '.app' },
  { name: 'Server', type: 'string', jsonPath: '.server' },
  { name: 'PodSeq', type: 'string', jsonPath: '.podSeq' },
  { name: 'ConfigName', type: 'string', jsonPath: '.configName' },
  { name: 'Version', type: 'string', jsonPath: '.version' },
  { name: 'Activated', type: 'boolean', jsonPath: '.activated' },
  AGE_COLUMN,
] as const;
const v1beta3: VersionDefinition = { name: 'v1beta3', schema: TConfigSchema, printerColumns };

export const TConfigKind: KindDefinition = {
  kind: 'TConfig',
  plural: 'tconfigs',
  singular: 'tconfig',
  shortNames: ['tc'],
  conversion: 'None',
  versions: [{ ...v1beta3, name: 'v1beta2' }, v1beta3],
};
