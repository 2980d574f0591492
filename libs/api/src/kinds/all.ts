// The nine kinds of the group, in the order their CRDs are generated.
import type { KindDefinition } from './resource.ts';
import { TServerKind } from './tserver/kind.ts';
import { TFrameworkConfigKind } from './tframeworkconfig/kind.ts';
import { TEndpointKind } from './tendpoint.ts';
import { TTemplateKind } from './ttemplate.ts';
import { TConfigKind } from './tconfig.ts';
import { TTreeKind } from './ttree.ts';
import { TExitedRecordKind } from './texitedrecord.ts';
import { TAccountKind } from './taccount.ts';
import { TImageKind } from './timage.ts';

export const KINDS: readonly KindDefinition[] = [
  TServerKind,
  TEndpointKind,
  TTemplateKind,
  TConfigKind,
  TTreeKind,
  TExitedRecordKind,
  TAccountKind,
  TImageKind,
  TFrameworkConfigKind,
];

export function kindDefinition(kind: string): KindDefinition | undefined {
  return KINDS.find((k) => k.kind === kind);
}
