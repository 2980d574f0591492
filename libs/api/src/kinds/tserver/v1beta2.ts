// TServer k8s.tars.io/v1beta2 (served, deprecated): v1beta3 without `k8s.command`/`k8s.args`,
// and with one `k8s.readinessGate` instead of the `k8s.readinessGates` list.
import { s, type Infer } from '../../schema/dsl.ts';
import { CONDITION_TYPE } from '../../meta/names.ts';
import { resourceSchema, type ResourceOf, type VersionDefinition } from '../resource.ts';
import {
  TServerStatus,
  k8sSharedFields,
  printerColumns,
  scale,
  tserverSpec,
} from './v1beta3.ts';

export const TServerK8S = s.object({
  ...k8sSharedFields,
  readinessGate: s.string({ pattern: CONDITION_TYPE, maxLength: 63 }),
});
export type TServerK8S = Infer<typeof TServerK8S>;

export const TServerSpec = tserverSpec(TServerK8S);
export type TServerSpec = Infer<typeof TServerSpec>;

export const TServerSchema = resourceSchema({ spec: TServerSpec, status: TServerStatus }, { required: ['spec'] });
export type TServer = ResourceOf<typeof TServerSchema, 'v1beta2', 'TServer'>;

export const v1beta2: VersionDefinition = { name: 'v1beta2', schema: TServerSchema, printerColumns, status: true, scale };
