import { describe, expect, expectTypeOf, it } from 'vitest';
import { s, type Infer } from './dsl.ts';
import { toOpenAPI } from './openapi.ts';
import { checkValue } from './check.ts';
import { applyDefaults, prune } from './defaults.ts';
import { validateSchema } from './lookup.ts';

const Port = s.object(
  {
    name: s.string({ pattern: '^[a-z]+$', maxLength: 15 }),
    port: s.int({ minimum: 1, maximum: 65535 }),
    isTcp: s.bool({ default: true }),
    mode: s.enum(['a', 'b'], { default: 'a' }),
  },
  { required: ['name', 'port'] },
);

describe('schema DSL types', () => {
  it('derives the TypeScript type from the schema value', () => {
    type Port = Infer<typeof Port>;
    expectTypeOf<Port>().toEqualTypeOf<{ name: string; port: number; isTcp?: boolean; mode?: 'a' | 'b' }>();
    const Holder = s.object({ ports: s.array(Port), labels: s.map(s.string()) }, { required: ['ports'] });
    expectTypeOf<Infer<typeof Holder>['ports']>().toEqualTypeOf<Port[]>();
    expectTypeOf<Infer<typeof Holder>['labels']>().toEqualTypeOf<Record<string, string> | undefined>();
    expect(Holder.required).toEqual(['ports']);
  });

  it('refuses a required field or oneOf member that is not a property', () => {
    expect(() => s.object({ a: s.string() }, { required: ['b' as 'a'] })).toThrow(/required field "b"/);
    expect(() => s.object({ a: s.string() }, { oneOfRequired: [['c']] })).toThrow(/oneOf field "c"/);
  });
});

describe('toOpenAPI', () => {
  it('renders every node kind as structural OpenAPI', () => {
    const schema = s.object(
      {
        port: Port,
        list: s.array(s.string(), { maxItems: 3 }),
        labels: s.map(s.string()),
        blob: s.opaque(),
        when: s.dateTime(),
      },
      { required: ['port'], oneOfRequired: [['list'], ['labels']] },
    );
    expect(toOpenAPI(schema)).toEqual({
      type: 'object',
      properties: {
        port: {
          type: 'object',
          properties: {
            name: { type: 'string', pattern: '^[a-z]+$', maxLength: 15 },
            port: { type: 'integer', minimum: 1, maximum: 65535 },
            isTcp: { type: 'boolean', default: true },
            mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
          },
          required: ['name', 'port'],
        },
        list: { type: 'array', items: { type: 'string' }, maxItems: 3 },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        blob: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        when: { type: 'string', format: 'date-time' },
      },
      required: ['port'],
      oneOf: [{ required: ['list'] }, { required: ['labels'] }],
    });
  });

  it('copies defaults so the rendered document does not alias the schema', () => {
    const node = s.array(s.string(), { default: [] });
    const rendered = toOpenAPI(node);
    (rendered.default as string[]).push('x');
    expect(node.default).toEqual([]);
  });
});

describe('checkValue', () => {
  const cases: [string, unknown, string[]][] = [
    ['valid', { name: 'http', port: 80 }, []],
    ['missing required', { name: 'http' }, ['port: is required']],
    ['pattern', { name: 'HTTP', port: 80 }, ['name: "HTTP" must match ^[a-z]+$']],
    ['max length', { name: 'a'.repeat(16), port: 80 }, ['name: must be at most 15 characters']],
    ['range', { name: 'a', port: 0 }, ['port: must be >= 1, got 0']],
    ['integer', { name: 'a', port: 1.5 }, ['port: must be an integer, got number']],
    ['enum', { name: 'a', port: 1, mode: 'c' }, ['mode: must be one of "a", "b", got "c"']],
    ['type', { name: 'a', port: 1, isTcp: 'yes' }, ['isTcp: must be a boolean, got string']],
  ];
  it.each(cases)('%s', (_name, value, expected) => {
    expect(checkValue(Port, value).map((e) => `${e.path}: ${e.message}`)).toEqual(expected);
  });

  it('reports paths into arrays and maps', () => {
    const node = s.object({ ports: s.array(Port), env: s.map(s.int()) });
    const errors = checkValue(node, { ports: [{ name: 'a', port: 1 }, { name: 'b' }], env: { 'x.y': 'no' } });
    expect(errors.map((e) => e.path)).toEqual(['ports[1].port', 'env["x.y"]']);
  });

  it('enforces exactly one oneOf group', () => {
    const node = s.object({ a: s.string(), b: s.string() }, { oneOfRequired: [['a'], ['b']] });
    expect(checkValue(node, { a: 'x' })).toEqual([]);
    expect(checkValue(node, {})[0]?.message).toMatch(/exactly one of a \| b must be set, 0 are/);
    expect(checkValue(node, { a: 'x', b: 'y' })[0]?.message).toMatch(/2 are/);
  });

  it('checks RFC 3339 date-times and RE2 script classes', () => {
    expect(checkValue(s.dateTime(), '2024-03-28T10:00:00Z')).toEqual([]);
    expect(checkValue(s.dateTime(), '2024-03-28')).toHaveLength(1);
    const han = s.string({ pattern: '^[\\x21-\\x7e\\p{Han}]{2,32}$' });
    expect(checkValue(han, '框架服务')).toEqual([]);
    expect(checkValue(han, 'a b')).toHaveLength(1);
  });
});

describe('applyDefaults', () => {
  it('fills missing fields, then defaults inside them, like the API server', () => {
    const node = s.object({
      strategy: s.object({ type: s.string({ default: 'RollingUpdate' }), rolling: s.object({ partition: s.int({ default: 0 }) }) }, { default: {} }),
      ports: s.array(Port),
    });
    const input = { ports: [{ name: 'a', port: 1, isTcp: false }] };
    expect(applyDefaults(node, input)).toEqual({
      strategy: { type: 'RollingUpdate' },
      ports: [{ name: 'a', port: 1, isTcp: false, mode: 'a' }],
    });
    expect(input).toEqual({ ports: [{ name: 'a', port: 1, isTcp: false }] });
  });
});

describe('prune', () => {
  it('drops undeclared fields but keeps opaque subtrees whole', () => {
    const node = s.object({ a: s.object({ b: s.string() }), raw: s.opaque(), m: s.map(s.object({ x: s.int() })) });
    expect(prune(node, { a: { b: 'k', c: 1 }, raw: { any: { thing: 1 } }, m: { k: { x: 1, y: 2 } }, z: 1 })).toEqual({
      a: { b: 'k' },
      raw: { any: { thing: 1 } },
      m: { k: { x: 1 } },
    });
  });
});

describe('validateSchema', () => {
  it('refuses object names that are not DNS-1123 subdomains (they become file names too)', () => {
    const obj = { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TTemplate', spec: { content: '', parent: 'tars.default' } };
    expect(validateSchema({ ...obj, metadata: { name: 'tars.cpp' } })).toEqual([]);
    for (const name of ['../etc', 'Upper', 'a/b', '']) {
      expect(validateSchema({ ...obj, metadata: { name } }).map((e) => e.path), name).toEqual(['metadata.name']);
    }
    expect(validateSchema({ ...obj, apiVersion: 'k8s.tars.io/v1', metadata: { name: 'x' } })[0]?.path).toBe('apiVersion');
  });
});

describe('null fields', () => {
  const node = s.object({ a: s.int({ default: 1 }), b: s.string(), m: s.map(s.string()) }, { required: ['b'] });

  it('count as absent, as the API server treats non-nullable nulls', () => {
    expect(applyDefaults(node, { a: null, b: 'x' })).toEqual({ a: 1, b: 'x' });
    expect(prune(node, { b: null, m: { k: null, j: 'v' } })).toEqual({ m: { j: 'v' } });
    expect(checkValue(node, { b: null }).map((e) => e.path)).toEqual(['b']);
    expect(checkValue(node, { b: 'x', a: null })).toEqual([]);
  });
});
