// TTree: the singleton `tars-tree` grouping apps under businesses (tarsweb's service tree).
// Fields live at the top level. v1beta2 and v1beta3 have the same shape; this file declares both.
import { s, type Infer } from '../schema/dsl.ts';
import { TARS_NAME } from '../meta/names.ts';
import { AGE_COLUMN, resourceSchema, type KindDefinition, type ResourceOf, type VersionDefinition } from './resource.ts';

const BUSINESS_NAME = '^[\\x21-\\x7e\\p{Han}]{2,32}$';

export const TTreeBusiness = s.object(
  {
    name: s.string({ pattern: BUSINESS_NAME }),
    show: s.string({ minLength: 1, maxLength: 100 }),
    weight: s.int({ minimum: 1, maximum: 5, default: 3 }),
    createTime: s.dateTime(),
    createPerson: s.string({ maxLength: 100 }),
    mark: s.string({ maxLength: 1600 }),
  },
  { required: ['name', 'show', 'weight'] },
);
export type TTreeBusiness = Infer<typeof TTreeBusiness>;

export const TTreeApp = s.object(
  {
    name: s.string({ pattern: TARS_NAME, maxLength: 63 }),
    businessRef: s.string({ pattern: '^(|[\\x21-\\x7e\\p{Han}]{2,32})$' }),
    createTime: s.dateTime(),
    createPerson: s.string({ maxLength: 100 }),
    mark: s.string({ maxLength: 1600 }),
  },
  { required: ['name', 'businessRef'] },
);
export type TTreeApp = Infer<typeof TTreeApp>;

export const TTreeSchema = resourceSchema(
  { businesses: s.array(TTreeBusiness), apps: s.array(TTreeApp) },
  { required: ['businesses', 'apps'] },
);
export type TTree = ResourceOf<typeof TTreeSchema, 'v1beta3', 'TTree'>;
export type TTreeV1beta2 = ResourceOf<typeof TTreeSchema, 'v1beta2', 'TTree'>;

const v1beta3: VersionDefinition = { name: 'v1beta3', schema: TTreeSchema, printerColumns: [AGE_COLUMN] };

export const TTreeKind: KindDefinition = {
  kind: 'TTree',
  plural: 'ttrees',
  singular: 'ttree',
  shortNames: [],
  conversion: 'None',
  versions: [{ ...v1beta3, name: 'v1beta2' }, v1beta3],
};
