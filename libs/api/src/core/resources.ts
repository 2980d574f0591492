// core/v1 ResourceRequirements: quantities by resource name (cpu, memory, ephemeral-storage, ...).
import { s, type Infer } from '../schema/dsl.ts';
import { QUANTITY } from '../meta/names.ts';

export const ResourceList = s.map(s.string({ pattern: QUANTITY }));
export type ResourceList = Infer<typeof ResourceList>;

export const ResourceRequirements = s.object({ requests: ResourceList, limits: ResourceList });
export type ResourceRequirements = Infer<typeof ResourceRequirements>;
