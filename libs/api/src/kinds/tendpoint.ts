// TEndpoint (controller-owned): the TServer fields tarsregistry needs, plus the live pod states.
// v1beta2 and v1beta3 have the same shape; this file declares both.
import { s, type Infer } from '../schema/dsl.ts';
import { ContainerStatus } from '../core/container-status.ts';
import { AGE_COLUMN, resourceSchema, type KindDefinition, type ResourceOf, type VersionDefinition } from './resource.ts';
import { AppName, HostPort, ServerName, SubType, TServerNormal, TServerRelease, TServerTars } from './tserver/v1beta3.ts';

export const TEndpointSpec = s.object(
  {
    app: AppName,
    server: ServerName,
    subType: SubType,
    important: s.int({ minimum: 1, maximum: 20 }),
    tars: TServerTars,
    normal: TServerNormal,
    release: TServerRelease,
    hostPorts: s.array(HostPort),
  },
  { required: ['app', 'server', 'subType'] },
);
export type TEndpointSpec = Infer<typeof TEndpointSpec>;

export const TEndpointPodStatus = s.object({
  uid: s.string(),
  name: s.string(),
  id: s.string(),
  pid: s.string(),
  podIP: s.string(),
  hostIP: s.string(),
  startTime: s.dateTime(),
  containerStatuses: s.array(ContainerStatus),
  settingState: s.string(),
  presentState: s.string(),
  presentMessage: s.string(),
});
export type TEndpointPodStatus = Infer<typeof TEndpointPodStatus>;

export const TEndpointStatus = s.object({ pods: s.array(TEndpointPodStatus) }, { required: ['pods'] });

export const TEndpointSchema = resourceSchema({ spec: TEndpointSpec, status: TEndpointStatus }, { required: ['spec'] });
export type TEndpoint = ResourceOf<typeof TEndpointSchema, 'v1beta3', 'TEndpoint'>;
export type TEndpointV1beta2 = ResourceOf<typeof TEndpointSchema, 'v1beta2', 'TEndpoint'>;

const printerColumns = [
  { name: 'App', type: 'string', jsonPath: '.spec.app' },
  { name: 'Server', type: 'string', jsonPath: '.spec.server' },
  { name: 'SubType', type: 'string', jsonPath: '.spec.subType' },
  AGE_COLUMN,
] as const;

const v1beta3: VersionDefinition = { name: 'v1beta3', schema: TEndpointSchema, printerColumns, status: true };

export const TEndpointKind: KindDefinition = {
  kind: 'TEndpoint',
  plural: 'tendpoints',
  singular: 'tendpoint',
  shortNames: ['te'],
  conversion: 'None',
  versions: [{ ...v1beta3, name: 'v1beta2' }, v1beta3],
};
