// Checks a value against a schema the way the API server's structural validation does, so the
// standalone mode (no API server) refuses what Kubernetes would refuse, with field paths.
import { childPath, fieldError, type FieldError } from '../errors.ts';
import type { Node } from './dsl.ts';

const patterns = new Map<string, RegExp>();

/**
 * Kubernetes evaluates `pattern` with Go's RE2. Our patterns mean the same in JS with the `u`
 * flag except for script classes: RE2 writes `\p{Han}`, JS `\p{Script=Han}`.
 */
export function jsPattern(pattern: string): string {
  return pattern.replace(/\\p\{([A-Za-z_]{3,})\}/g, '\\p{Script=$1}');
}

export function compilePattern(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (re === undefined) {
    re = new RegExp(jsPattern(pattern), 'u');
    patterns.set(pattern, re);
  }
  return re;
}

// RFC 3339 date-time as Kubernetes accepts it (fractional seconds and offsets allowed).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every violation of `node` by `value`, each with its field path (empty list = valid). A `null`
 * object field counts as absent, as the API server drops it before validating.
 */
export function checkValue(node: Node, value: unknown, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  visit(node, value, path, errors);
  return errors;
}

function visit(node: Node, value: unknown, path: string, errors: FieldError[]): void {
  switch (node.kind) {
    case 'string': {
      if (typeof value !== 'string') return void errors.push(fieldError(path, `must be a string, got ${typeName(value)}`));
      const length = [...value].length;
      if (node.enum !== undefined && !node.enum.includes(value)) {
        errors.push(fieldError(path, `must be one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`));
      }
      if (node.minLength !== undefined && length < node.minLength) errors.push(fieldError(path, `must be at least ${node.minLength} characters`));
      if (node.maxLength !== undefined && length > node.maxLength) errors.push(fieldError(path, `must be at most ${node.maxLength} characters`));
      if (node.pattern !== undefined && !compilePattern(node.pattern).test(value)) {
        errors.push(fieldError(path, `${JSON.stringify(value)} must match ${node.pattern}`));
      }
      if (node.format === 'date-time' && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))) {
        errors.push(fieldError(path, `${JSON.stringify(value)} must be an RFC 3339 date-time`));
      }
      return;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return void errors.push(fieldError(path, `must be an integer, got ${typeName(value)}`));
      if (node.minimum !== undefined && value < node.minimum) errors.push(fieldError(path, `must be >= ${node.minimum}, got ${value}`));
      if (node.maximum !== undefined && value > node.maximum) errors.push(fieldError(path, `must be <= ${node.maximum}, got ${value}`));
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(fieldError(path, `must be a boolean, got ${typeName(value)}`));
      return;
    case 'array':
      if (!Array.isArray(value)) return void errors.push(fieldError(path, `must be an array, got ${typeName(value)}`));
      if (node.minItems !== undefined && value.length < node.minItems) errors.push(fieldError(path, `must have at least ${node.minItems} items`));
      if (node.maxItems !== undefined && value.length > node.maxItems) errors.push(fieldError(path, `must have at most ${node.maxItems} items`));
      value.forEach((item, i) => visit(node.items, item, childPath(path, i), errors));
      return;
    case 'object': {
      if (!isPlainObject(value)) return void errors.push(fieldError(path, `must be an object, got ${typeName(value)}`));
      for (const name of node.required) {
        if (value[name] === undefined || value[name] === null) errors.push(fieldError(childPath(path, name), 'is required'));
      }
      if (node.oneOfRequired !== undefined) {
        const matching = node.oneOfRequired.filter((group) => group.every((name) => value[name] !== undefined && value[name] !== null));
        if (matching.length !== 1) {
          const choices = node.oneOfRequired.map((g) => g.join('+')).join(' | ');
          errors.push(fieldError(path, `exactly one of ${choices} must be set, ${matching.length} are`));
        }
      }
      for (const [name, child] of Object.entries(node.properties)) {
        if (value[name] !== undefined && value[name] !== null) visit(child, value[name], childPath(path, name), errors);
      }
      return;
    }
    case 'map':
      if (!isPlainObject(value)) return void errors.push(fieldError(path, `must be an object, got ${typeName(value)}`));
      for (const [key, item] of Object.entries(value)) if (item !== null) visit(node.values, item, childPath(path, key), errors);
      return;
    case 'opaque':
    case 'objectMeta':
      if (!isPlainObject(value)) errors.push(fieldError(path, `must be an object, got ${typeName(value)}`));
      return;
  }
}
