// TServer k8s.tars.io/v1beta2 (served, deprecated): v1beta3 without `k8s.command`/`k8s.args`,
// and with one `k8s.readinessGate` instead of the `k8s.readinessGates` list.
import { s, type Infer } from '../../schema/dsl.ts';
import { CONDITION_TYPE } from '../../meta/names.ts';
import { resourceSchema, type ResourceOf, type VersionDefinition } from '../resource.ts';
import {
  AppName,
  ServerName,
  SubType,
  TServerNormal,
  TServerRelease,
  TServerStatus,
  TServerTars,
  k8sSharedFields,
  printerColumns,
  scale,
} from './v1beta3.ts';

export const TServerK8S = s.object({
  ...k8sSharedFields,
  readinessGate: s.string({ pattern: CONDITION_TYPE, maxLength: 63 }),
});
export type TServerK8S = Infer<typeof TServerK8S>;

export const TServerSpec = s.object(
  {
    app: AppName,
    server: ServerName,
    subType: SubType,
    important: s.int({ minimum: 1, maximum: 20, default: 3 }),
    tars: TServerTars,
    normal: TServerNormal,
    k8s: TServerK8S,
    release: TServerRelease,
  },
  { required: ['app', 'server', 'subType', 'k8s'], oneOfRequired: [['tars'], ['normal']] },
);
export type TServerSpec = Infer<typeof TServerSpec>;

export const TServerSchema = resourceSchema({ spec: TServerSpec, status: TServerStatus }, { required: ['spec'] });
export type TServer = ResourceOf<typeof TServerSchema, 'v1beta2', 'TServer'>;

export const v1beta2: VersionDefinition = { name: 'v1beta2', schema: TServerSchema, printerColumns, status: true, scale };
