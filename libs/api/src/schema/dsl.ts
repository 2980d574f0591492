// A small schema language: each value describes one JSON shape, the TypeScript type is derived
// from it (`Infer`), and the same value renders the CRD's OpenAPI schema (openapi.ts), applies
// defaults and prunes (defaults.ts) and checks values in-process (check.ts). One source, no drift.

/** Phantom carrier of the TypeScript type a schema describes; never present at run time. */
declare const typeOf: unique symbol;

interface Common {
  readonly description?: string;
  /** Applied by the API server (and by `applyDefaults`) when the field is absent. */
  readonly default?: unknown;
}

export interface StringNode extends Common {
  readonly kind: 'string';
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly enum?: readonly string[];
  readonly format?: 'date-time';
}

export interface IntegerNode extends Common {
  readonly kind: 'integer';
  readonly minimum?: number;
  readonly maximum?: number;
  readonly format?: 'int32' | 'int64';
}

export interface BooleanNode extends Common {
  readonly kind: 'boolean';
}

export interface ArrayNode extends Common {
  readonly kind: 'array';
  readonly items: Node;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface ObjectNode extends Common {
  readonly kind: 'object';
  readonly properties: Readonly<Record<string, Node>>;
  readonly required: readonly string[];
  /** Exactly one of these groups of fields must be present (rendered as `oneOf: [{required}]`). */
  readonly oneOfRequired?: readonly (readonly string[])[];
}

/** A string-keyed map (`additionalProperties`). */
export interface MapNode extends Common {
  readonly kind: 'map';
  readonly values: Node;
}

/**
 * An embedded object the API server stores as given (`x-kubernetes-preserve-unknown-fields`):
 * used for embedded core types whose full schema we do not own (PVC templates, container status).
 */
export interface OpaqueNode extends Common {
  readonly kind: 'opaque';
}

/** The `metadata` of a resource: the API server owns its schema, the CRD only says "object". */
export interface ObjectMetaNode extends Common {
  readonly kind: 'objectMeta';
}

export type Node =
  | StringNode
  | IntegerNode
  | BooleanNode
  | ArrayNode
  | ObjectNode
  | MapNode
  | OpaqueNode
  | ObjectMetaNode;

/** A schema node that also carries the TypeScript type of the values it accepts. */
export type Schema<T, N extends Node = Node> = N & { readonly [typeOf]?: T };

export type Infer<S> = S extends { readonly [typeOf]?: infer T } ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ObjectOf<F extends Record<string, Node>, R extends keyof F> = Simplify<
  { -readonly [K in R]: Infer<F[K]> } & { -readonly [K in Exclude<keyof F, R>]?: Infer<F[K]> }
>;

interface StringOptions extends Common {
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly default?: string;
}

interface IntegerOptions extends Common {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly format?: 'int32' | 'int64';
  readonly default?: number;
}

interface ArrayOptions<T> extends Common {
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly default?: T[];
}

interface ObjectOptions<R extends string, T> extends Common {
  readonly required?: readonly R[];
  readonly oneOfRequired?: readonly (readonly string[])[];
  readonly default?: Partial<T>;
}

export function string(options: StringOptions = {}): Schema<string, StringNode> {
  return { kind: 'string', ...options };
}

export function enumOf<const E extends string>(values: readonly E[], options: Common & { default?: E } = {}): Schema<E, StringNode> {
  return { kind: 'string', enum: values, ...options };
}

export function dateTime(options: Common = {}): Schema<string, StringNode> {
  return { kind: 'string', format: 'date-time', ...options };
}

export function integer(options: IntegerOptions = {}): Schema<number, IntegerNode> {
  return { kind: 'integer', ...options };
}

export function boolean(options: Common & { default?: boolean } = {}): Schema<boolean, BooleanNode> {
  return { kind: 'boolean', ...options };
}

export function array<I extends Node>(items: I, options: ArrayOptions<Infer<I>> = {}): Schema<Infer<I>[], ArrayNode> {
  return { kind: 'array', items, ...options };
}

export function object<F extends Record<string, Node>, const R extends keyof F & string = never>(
  properties: F,
  options: ObjectOptions<R, ObjectOf<F, R>> = {},
): Schema<ObjectOf<F, R>, ObjectNode> {
  const { required = [], ...rest } = options;
  for (const name of required) {
    if (!(name in properties)) throw new Error(`required field "${name}" is not a property`);
  }
  for (const group of rest.oneOfRequired ?? []) {
    for (const name of group) {
      if (!(name in properties)) throw new Error(`oneOf field "${name}" is not a property`);
    }
  }
  return { kind: 'object', properties, required, ...rest };
}

export function map<V extends Node>(values: V, options: Common & { default?: Record<string, Infer<V>> } = {}): Schema<Record<string, Infer<V>>, MapNode> {
  return { kind: 'map', values, ...options };
}

/** An embedded object kept as given; `T` is the TypeScript view of the fields we read. */
export function opaque<T extends object = Record<string, unknown>>(options: Common = {}): Schema<T, OpaqueNode> {
  return { kind: 'opaque', ...options };
}

export function objectMeta<T>(): Schema<T, ObjectMetaNode> {
  return { kind: 'objectMeta' };
}

/** The same schema with a default: for shared schemas that need one in a single place. */
export function withDefault<S extends Node>(schema: S, value: Infer<S>): S {
  return { ...schema, default: value };
}

/** Builders grouped for `s.object({...})` style definitions. */
export const s = {
  string,
  enum: enumOf,
  dateTime,
  int: integer,
  bool: boolean,
  array,
  object,
  map,
  opaque,
  objectMeta,
  withDefault,
} as const;
