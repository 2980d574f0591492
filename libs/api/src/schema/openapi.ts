// Renders a schema node as a structural OpenAPI v3 schema (apiextensions.k8s.io/v1
// JSONSchemaProps), using only keywords Kubernetes 1.20 accepts: no $ref, no CEL rules.
import type { Node } from './dsl.ts';

export interface JSONSchemaProps {
  type?: 'string' | 'integer' | 'boolean' | 'array' | 'object';
  description?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: JSONSchemaProps;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  additionalProperties?: JSONSchemaProps;
  oneOf?: { required: string[] }[];
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: true;
}

export function toOpenAPI(node: Node): JSONSchemaProps {
  const out: JSONSchemaProps = {};
  switch (node.kind) {
    case 'string':
      out.type = 'string';
      if (node.format !== undefined) out.format = node.format;
      if (node.pattern !== undefined) out.pattern = node.pattern;
      if (node.minLength !== undefined) out.minLength = node.minLength;
      if (node.maxLength !== undefined) out.maxLength = node.maxLength;
      if (node.enum !== undefined) out.enum = [...node.enum];
      break;
    case 'integer':
      out.type = 'integer';
      if (node.format !== undefined) out.format = node.format;
      if (node.minimum !== undefined) out.minimum = node.minimum;
      if (node.maximum !== undefined) out.maximum = node.maximum;
      break;
    case 'boolean':
      out.type = 'boolean';
      break;
    case 'array':
      out.type = 'array';
      out.items = toOpenAPI(node.items);
      if (node.minItems !== undefined) out.minItems = node.minItems;
      if (node.maxItems !== undefined) out.maxItems = node.maxItems;
      break;
    case 'object': {
      out.type = 'object';
      out.properties = {};
      for (const [name, child] of Object.entries(node.properties)) out.properties[name] = toOpenAPI(child);
      if (node.required.length > 0) out.required = [...node.required];
      if (node.oneOfRequired !== undefined) out.oneOf = node.oneOfRequired.map((group) => ({ required: [...group] }));
      break;
    }
    case 'map':
      out.type = 'object';
      out.additionalProperties = toOpenAPI(node.values);
      break;
    case 'opaque':
      out.type = 'object';
      out['x-kubernetes-preserve-unknown-fields'] = true;
      break;
    case 'objectMeta':
      out.type = 'object';
      break;
  }
  if (node.description !== undefined) out.description = node.description;
  if (node.default !== undefined) out.default = structuredClone(node.default);
  return out;
}
