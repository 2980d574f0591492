// What every kind version shares: the resource envelope and the description the CRD renderer reads.
import { s, type Infer, type Node, type ObjectNode, type Schema } from '../schema/dsl.ts';
import type { Version } from '../meta/constants.ts';
import type { ObjectMeta, TypeMeta } from '../meta/object-meta.ts';

/** A root schema: `apiVersion`, `kind`, `metadata` plus the kind's own top-level fields. */
export function resourceSchema<F extends Record<string, Node>, const R extends keyof F & string = never>(
  fields: F,
  options: { required?: readonly R[] } = {},
) {
  return s.object(
    { apiVersion: s.string(), kind: s.string(), metadata: s.objectMeta<ObjectMeta>(), ...fields },
    { required: options.required ?? [] },
  );
}

type Envelope = 'apiVersion' | 'kind' | 'metadata';

/** The TypeScript type of a resource: its envelope with literal apiVersion/kind, plus its fields. */
export type ResourceOf<S, V extends Version, K extends string> = TypeMeta<V, K> & Omit<Infer<S>, Envelope>;

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  /** 0 = always shown; 1 = only with `-o wide`. */
  priority?: number;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** One served version of a kind: everything the CRD needs for it. */
export interface VersionDefinition {
  readonly name: Version;
  readonly schema: Schema<unknown, ObjectNode>;
  readonly printerColumns: readonly PrinterColumn[];
  readonly status?: boolean;
  readonly scale?: ScaleSubresource;
}

export interface KindDefinition {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  /** `Webhook` where versions differ in shape; `None` where only `apiVersion` changes. */
  readonly conversion: 'Webhook' | 'None';
  readonly versions: readonly VersionDefinition[];
}

export const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
