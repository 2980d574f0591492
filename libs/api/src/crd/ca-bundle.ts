// What the webhook does at start so the API server trusts it: put its freshly generated CA into
// the conversion clientConfig of the CRDs it converts (the chart's files carry no CA).
import { KINDS } from '../kinds/all.ts';
import type { JsonPatchOperation } from '../admission/json-patch.ts';
import { crdName } from './render.ts';

/** Names of the CRDs whose conversion goes through the webhook. */
export const CONVERSION_WEBHOOK_CRDS: readonly string[] = KINDS.filter((k) => k.conversion === 'Webhook').map(crdName);

/** JSON Patch for one of those CRDs: sets `caBundle` (PEM in, base64 of the PEM out). */
export function caBundlePatch(caPem: string): JsonPatchOperation[] {
  if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('caBundlePatch expects a PEM certificate');
  // RFC 6902 `add` on an existing member replaces it, so this works on first start and later.
  return [{ op: 'add', path: '/spec/conversion/webhook/clientConfig/caBundle', value: Buffer.from(caPem).toString('base64') }];
}
