// TImage: the releases (built images) of a server, or a base/node image. Fields live at the top
// level. v1beta2 and v1beta3 have the same shape; this file declares both.
import { s, type Infer } from '../schema/dsl.ts';
import { DNS1123_SUBDOMAIN, RELEASE_ID } from '../meta/names.ts';
import { AGE_COLUMN, resourceSchema, type KindDefinition, type ResourceOf, type VersionDefinition } from './resource.ts';

export const SERVER_TYPES = ['cpp', 'nodejs', 'nodejs-pkg', 'java-war', 'java-jar', 'go', 'php'] as const;
export const ServerType = s.enum(SERVER_TYPES);
export type ServerType = Infer<typeof ServerType>;

export const TImageRelease = s.object(
  {
    id: s.string({ pattern: RELEASE_ID, maxLength: 63 }),
    image: s.string({ maxLength: 500 }),
    secret: s.string({ pattern: DNS1123_SUBDOMAIN, maxLength: 253 }),
    createPerson: s.string({ maxLength: 100 }),
    createTime: s.dateTime(),
    mark: s.string({ maxLength: 1600 }),
  },
  { required: ['id', 'image'] },
);
export type TImageRelease = Infer<typeof TImageRelease>;

export const TImageBuildState = s.object(
  {
    id: s.string(),
    baseImage: s.string({ maxLength: 500 }),
    baseImageSecret: s.string(),
    image: s.string(),
    secret: s.string(),
    serverType: ServerType,
    createPerson: s.string({ maxLength: 800 }),
    createTime: s.dateTime(),
    mark: s.string(),
    phase: s.string(),
    message: s.string({ maxLength: 1600 }),
    handler: s.string({ maxLength: 253 }),
  },
  { required: ['id', 'baseImage', 'image'] },
);
export type TImageBuildState = Infer<typeof TImageBuildState>;

export const TImageSchema = resourceSchema(
  {
    imageType: s.enum(['base', 'server', 'node']),
    supportedType: s.array(ServerType, { minItems: 1 }),
    mark: s.string({ maxLength: 1600 }),
    releases: s.array(TImageRelease, { maxItems: 120 }),
    default: s.string(),
    build: s.object({ last: TImageBuildState, running: TImageBuildState }),
  },
  { required: ['imageType'] },
);
export type TImage = ResourceOf<typeof TImageSchema, 'v1beta3', 'TImage'>;
export type TImageV1beta2 = ResourceOf<typeof TImageSchema, 'v1beta2', 'TImage'>;

const printerColumns = [{ name: 'Type', type: 'string', jsonPath: '.imageType' }, AGE_COLUMN] as const;
const v1beta3: VersionDefinition = { name: 'v1beta3', schema: TImageSchema, printerColumns };

export const TImageKind: KindDefinition = {
  kind: 'TImage',
  plural: 'timages',
  singular: 'timage',
  shortNames: ['ti'],
  conversion: 'None',
  versions: [{ ...v1beta3, name: 'v1beta2' }, v1beta3],
};
