import type { KindDefinition } from '../resource.ts';
import { v1beta2 } from './v1beta2.ts';
import { v1beta3 } from './v1beta3.ts';

export const TServerKind: KindDefinition = {
  kind: 'TServer',
  plural: 'tservers',
  singular: 'tserver',
  shortNames: ['ts'],
  conversion: 'Webhook',
  versions: [v1beta2, v1beta3],
};
