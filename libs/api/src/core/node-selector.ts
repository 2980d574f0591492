// core/v1 NodeSelectorRequirement: one term of required node affinity.
import { s, type Infer } from '../schema/dsl.ts';

export const NodeSelectorRequirement = s.object(
  {
    key: s.string({ minLength: 1, maxLength: 316 }),
    operator: s.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
    values: s.array(s.string()),
  },
  { required: ['key', 'operator'] },
);
export type NodeSelectorRequirement = Infer<typeof NodeSelectorRequirement>;
