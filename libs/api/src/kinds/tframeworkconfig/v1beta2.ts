// TFrameworkConfig k8s.tars.io/v1beta2 (served, deprecated): `imageRegistry` instead of
// `imageUpload`, and no `imageBuild.executor`.
import { resourceSchema, type ResourceOf, type VersionDefinition } from '../resource.ts';
import { Expand, ImageBuildV1beta2, ImageRef, RecordLimit, RegistryRef, UpChain, printerColumns } from './v1beta3.ts';

export const TFrameworkConfigSchema = resourceSchema(
  {
    imageBuild: ImageBuildV1beta2,
    imageRegistry: RegistryRef,
    recordLimit: RecordLimit,
    nodeImage: ImageRef,
    upChain: UpChain,
    expand: Expand,
  },
  { required: ['imageBuild', 'imageRegistry', 'nodeImage'] },
);
export type TFrameworkConfig = ResourceOf<typeof TFrameworkConfigSchema, 'v1beta2', 'TFrameworkConfig'>;

export const v1beta2: VersionDefinition = { name: 'v1beta2', schema: TFrameworkConfigSchema, printerColumns };
