import { TarsConfig } from '@tars-ts/service';
import { describe, expect, it } from 'vitest';
import { joinConfig, joinTemplateChain, TemplateChainError, type TemplateSource } from './config-merge.ts';

const parse = (text: string) => TarsConfig.parse(text);

describe('joinConfig', () => {
  const cases: Array<{ name: string; target: string; source: string; override: boolean; expect: Record<string, string | undefined> }> = [
    {
      name: 'keeps existing keys without override',
      target: '<a>\nk=target\n</a>',
      source: '<a>\nk=source\nnew=1\n</a>',
      override: false,
      expect: { '/a<k>': 'target', '/a<new>': '1' },
    },
    {
      name: 'replaces existing keys with override',
      target: '<a>\nk=target\nkeep=x\n</a>',
      source: '<a>\nk=source\n</a>',
      override: true,
      expect: { '/a<k>': 'source', '/a<keep>': 'x' },
    },
    {
      name: 'adds whole sub-domains and merges existing ones recursively',
      target: '<a>\n<b>\nx=1\n</b>\n</a>',
      source: '<a>\n<b>\ny=2\n</b>\n<c>\nz=3\n</c>\n</a>',
      override: false,
      expect: { '/a/b<x>': '1', '/a/b<y>': '2', '/a/c<z>': '3' },
    },
    {
      name: 'merges the last value of a key repeated in the source',
      target: '<a>\n</a>',
      source: '<a>\nk=1\nk=2\n</a>',
      override: false,
      expect: { '/a<k>': '2' },
    },
    {
      name: 'keeps values containing "=" intact',
      target: '<a>\nk=x\n</a>',
      source: '<a>\nk=tars.tarsnode.ServerObj@tcp -h 1.2.3.4 -p 19386 -t 60000\nv=a=b\n</a>',
      override: true,
      expect: { '/a<k>': 'tars.tarsnode.ServerObj@tcp -h 1.2.3.4 -p 19386 -t 60000', '/a<v>': 'a=b' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const merged = joinConfig(parse(c.target), parse(c.source), c.override);
      for (const [path, value] of Object.entries(c.expect)) expect(merged.get(path), path).toBe(value);
      // The text written out reads back to the same values (one line per key).
      const again = parse(merged.toString());
      for (const [path, value] of Object.entries(c.expect)) expect(again.get(path), path).toBe(value);
    });
  }

  it('writes an overridden key once, where it first appeared', () => {
    const merged = joinConfig(parse('<a>\nk=1\nother=2\nk=3\n</a>'), parse('<a>\nk=9\n</a>'), true);
    expect(merged.toString()).toBe('<a>\n  k=9\n  other=2\n</a>\n');
  });

  it('adds bare lines the target lacks, once', () => {
    const merged = joinConfig(parse('<nodes>\nh1:9200\n</nodes>'), parse('<nodes>\nh1:9200\nh2:9200\n</nodes>'), false);
    expect(merged.getDomainLines('/nodes')).toEqual(['h1:9200', 'h2:9200']);
  });

  it('does not share domains with the source', () => {
    const source = parse('<a>\n<b>\nx=1\n</b>\n</a>');
    const merged = joinConfig(parse(''), source, false);
    source.set('/a/b<x>', 'changed');
    expect(merged.get('/a/b<x>')).toBe('1');
  });
});

describe('joinTemplateChain (profile > child template > parent)', () => {
  const templates: Record<string, TemplateSource> = {
    'tars.default': { name: 'tars.default', parent: 'tars.default', content: '<tars>\n<application>\n<server>\nlogLevel=DEBUG\nlogsize=15M\napp=${app}\n</server>\n</application>\n</tars>' },
    'tars.cpp': { name: 'tars.cpp', parent: 'tars.default', content: '<tars>\n<application>\n<server>\nlogLevel=INFO\n</server>\n<client>\nsync-invoke-timeout=5000\n</client>\n</application>\n</tars>' },
    loop1: { name: 'loop1', parent: 'loop2', content: '' },
    loop2: { name: 'loop2', parent: 'loop1', content: '' },
    orphan: { name: 'orphan', parent: 'missing', content: '' },
    broken: { name: 'broken', parent: 'broken', content: '<tars>\n<oops>\n</tars>' },
  };
  const lookup = (name: string) => templates[name];

  it('lets the profile win over the child, and the child over the root', () => {
    const merged = joinTemplateChain('<tars>\n<application>\n<server>\nlogsize=50M\n</server>\n</application>\n</tars>', 'tars.cpp', lookup);
    expect(merged.get('/tars/application/server<logsize>')).toBe('50M');
    expect(merged.get('/tars/application/server<logLevel>')).toBe('INFO');
    expect(merged.get('/tars/application/server<app>')).toBe('${app}');
    expect(merged.get('/tars/application/client<sync-invoke-timeout>')).toBe('5000');
  });

  it('accepts an empty profile', () => {
    expect(joinTemplateChain('', 'tars.default', lookup).get('/tars/application/server<logLevel>')).toBe('DEBUG');
  });

  const errors: Array<[string, string, RegExp]> = [
    ['a missing template', 'nope', /template "nope" not found/],
    ['a missing parent', 'orphan', /template "missing" not found \(chain of "orphan"\)/],
    ['a loop', 'loop1', /loops at "loop1"/],
    ['a template that does not parse', 'broken', /template broken does not parse/],
  ];
  for (const [what, start, message] of errors) {
    it(`fails on ${what}`, () => {
      expect(() => joinTemplateChain('', start, lookup)).toThrow(TemplateChainError);
      expect(() => joinTemplateChain('', start, lookup)).toThrow(message);
    });
  }

  it('fails when the profile does not parse', () => {
    expect(() => joinTemplateChain('<tars>', 'tars.default', lookup)).toThrow(/profile does not parse/);
  });
});
