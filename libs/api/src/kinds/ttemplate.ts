// TTemplate: a Tars config template; templates form a chain through `parent` up to a self-parented
// root (`tars.default`). v1beta2 and v1beta3 have the same shape; this file declares both.
import { s, type Infer } from '../schema/dsl.ts';
import { DNS1123_SUBDOMAIN } from '../meta/names.ts';
import { AGE_COLUMN, resourceSchema, type KindDefinition, type ResourceOf, type VersionDefinition } from './resource.ts';

export const TTemplateSpec = s.object(
  {
    content: s.string({ maxLength: 1_560_000 }),
    parent: s.string({ pattern: DNS1123_SUBDOMAIN, maxLength: 253 }),
  },
  { required: ['content', 'parent'] },
);
export type TTemplateSpec = Infer<typeof TTemplateSpec>;

export const TTemplateSchema = resourceSchema({ spec: TTemplateSpec }, { required: ['spec'] });
export type TTemplate = ResourceOf<typeof TTemplateSchema, 'v1beta3', 'TTemplate'>;
export type TTemplateV1beta2 = ResourceOf<typeof TTemplateSchema, 'v1beta2', 'TTemplate'>;

const printerColumns = [{ name: 'Parent', type: 'string', jsonPath: '.spec.parent' }, AGE_COLUMN] as const;
const v1beta3: VersionDefinition = { name: 'v1beta3', schema: TTemplateSchema, printerColumns };

export const TTemplateKind: KindDefinition = {
  kind: 'TTemplate',
  plural: 'ttemplates',
  singular: 'ttemplate',
  shortNames: ['tt'],
  conversion: 'None',
  versions: [{ ...v1beta3, name: 'v1beta2' }, v1beta3],
};
