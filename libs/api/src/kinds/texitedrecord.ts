// TExitedRecord (controller-owned): the newest-first history of a TServer's deleted pods.
// Fields live at the top level. v1beta2 and v1beta3 have the same shape; this file declares both.
import { s, type Infer } from '../schema/dsl.ts';
import { AGE_COLUMN, resourceSchema, type KindDefinition, type ResourceOf, type VersionDefinition } from './resource.ts';
import { AppName, ServerName } from './tserver/v1beta3.ts';

export const TExitedPod = s.object({
  uid: s.string(),
  name: s.string(),
  id: s.string(),
  nodeIP: s.string(),
  podIP: s.string(),
  createTime: s.dateTime(),
  deleteTime: s.dateTime(),
});
export type TExitedPod = Infer<typeof TExitedPod>;

export const TExitedRecordSchema = resourceSchema(
  { app: AppName, server: ServerName, pods: s.array(TExitedPod, { maxItems: 150 }) },
  { required: ['app', 'server', 'pods'] },
);
export type TExitedRecord = ResourceOf<typeof TExitedRecordSchema, 'v1beta3', 'TExitedRecord'>;
export type TExitedRecordV1beta2 = ResourceOf<typeof TExitedRecordSchema, 'v1beta2', 'TExitedRecord'>;

const printerColumns = [
  { name: 'App', type: 'string', jsonPath: '.app' },
  { name: 'Server', type: 'string', jsonPath: '.server' },
  AGE_COLUMN,
] as const;
const v1beta3: VersionDefinition = { name: 'v1beta3', schema: TExitedRecordSchema, printerColumns };

export const TExitedRecordKind: KindDefinition = {
  kind: 'TExitedRecord',
  plural: 'texitedrecords',
  singular: 'texitedrecord',
  shortNames: [],
  conversion: 'None',
  versions: [{ ...v1beta3, name: 'v1beta2' }, v1beta3],
};
