import type { KindDefinition } from '../resource.ts';
import { v1beta2 } from './v1beta2.ts';
import { v1beta3 } from './v1beta3.ts';

export const TFrameworkConfigKind: KindDefinition = {
  kind: 'TFrameworkConfig',
  plural: 'tframeworkconfigs',
  singular: 'tframeworkconfig',
  shortNames: ['tfc'],
  conversion: 'Webhook',
  versions: [v1beta2, v1beta3],
};
