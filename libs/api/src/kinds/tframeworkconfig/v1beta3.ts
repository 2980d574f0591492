// TFrameworkConfig k8s.tars.io/v1beta3 (storage): the singleton `tars-framework` of a framework
// namespace: image build/upload settings, history limits, the default tarsnode image, up-chains.
import { s, type Infer } from '../../schema/dsl.ts';
import { AGE_COLUMN, resourceSchema, type ResourceOf, type VersionDefinition } from '../resource.ts';

export const ImageRef = s.object({ image: s.string({ minLength: 1 }), secret: s.string() }, { required: ['image'] });
export const RegistryRef = s.object({ registry: s.string({ minLength: 1 }), secret: s.string() }, { required: ['registry'] });

const buildFields = {
  maxBuildTime: s.int({ minimum: 180, maximum: 900, default: 300 }),
  idFormat: s.string(),
};

export const ImageBuild = s.object({ ...buildFields, executor: ImageRef });
export type ImageBuild = Infer<typeof ImageBuild>;

/** The v1beta2 `imageBuild`: no `executor`. */
export const ImageBuildV1beta2 = s.object(buildFields);

const limit = () => s.int({ minimum: 10, maximum: 100, default: 48 });
export const RecordLimit = s.object({ texitedPod: limit(), tconfigHistory: limit(), timageRelease: limit() });

export const UpChainEndpoint = s.object(
  {
    host: s.string({ minLength: 1 }),
    port: s.int({ minimum: 1, maximum: 65535 }),
    timeout: s.int({ minimum: 0, default: 6000 }),
    isTcp: s.bool({ default: true }),
  },
  { required: ['host', 'port'] },
);
export type UpChainEndpoint = Infer<typeof UpChainEndpoint>;

/** `<App>.<Server>.<Servant>` (or `default`) → where to send calls the framework cannot resolve. */
export const UpChain = s.map(s.array(UpChainEndpoint, { minItems: 1 }));
export const Expand = s.map(s.string());

export const TFrameworkConfigSchema = resourceSchema(
  {
    imageBuild: ImageBuild,
    imageUpload: RegistryRef,
    recordLimit: RecordLimit,
    nodeImage: ImageRef,
    upChain: UpChain,
    expand: Expand,
  },
  { required: ['imageBuild', 'imageUpload', 'nodeImage'] },
);
export type TFrameworkConfig = ResourceOf<typeof TFrameworkConfigSchema, 'v1beta3', 'TFrameworkConfig'>;

export const printerColumns = [{ name: 'NodeImage', type: 'string', jsonPath: '.nodeImage.image' }, AGE_COLUMN] as const;

export const v1beta3: VersionDefinition = { name: 'v1beta3', schema: TFrameworkConfigSchema, printerColumns };
