// Our parser against the official @tars/utils Config parser on generated documents.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TarsConfig } from './tars-config.ts';

interface OracleConfig {
  parseText(text: string): boolean;
  get(key: string, def?: unknown): unknown;
  getDomain(key: string, def?: unknown): string[] | undefined;
  getDomainLine(key: string, def?: unknown): string[] | undefined;
  readonly data: Record<string, unknown>;
}
const OracleConfig = createRequire(import.meta.url)('@tars/utils').Config as new () => OracleConfig;

// Document model. Keys, domain names and bare lines come from disjoint pools ('k', 'd', 'h' prefixes):
// @tars/utils keeps keys and domains in one object and would let one overwrite the other, which
// TC_Config (and we) keep apart.
type Entry =
  | { kind: 'param'; key: string; value: string; spaceBefore: string; spaceAfter: string }
  | { kind: 'bare'; text: string }
  | { kind: 'comment'; text: string }
  | { kind: 'blank'; spaces: string }
  | { kind: 'domain'; name: string; entries: Entry[] };

const space = fc.constantFrom('', ' ', '  ', '\t', ' \t ');
// No '..': the @tars/utils path syntax collapses repeated dots, so such names cannot be addressed there.
const nameTail = fc.stringMatching(/^[A-Za-z0-9_.-]{0,6}$/).filter((t) => !t.includes('..'));
// Values: anything on one line, including '=', '<', '>', '#', inner spaces and non-ASCII.
const value = fc
  .oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('a=b=c', 'tcp -h 1.2.3.4 -p 10000 -t 60000', '<x>', '# not a comment', ''))
  .filter((v) => !/[\r\n]/.test(v));

const entry: fc.Arbitrary<Entry> = fc.letrec<{ entry: Entry; domain: Entry }>((tie) => ({
  entry: fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('param' as const), key: nameTail.map((t) => 'k' + t), value, spaceBefore: space, spaceAfter: space }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('bare' as const), text: nameTail.map((t) => `h${t}:80`) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('comment' as const), text: fc.string({ maxLength: 10 }).filter((v) => !/[\r\n]/.test(v)) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('blank' as const), spaces: space }) },
    { weight: 2, arbitrary: tie('domain') },
  ),
  domain: fc.record({
    kind: fc.constant('domain' as const),
    // few distinct names so that repeated domains (which merge) occur often
    name: fc.constantFrom('d', 'dA', 'd.x', 'd-y', 'd_1'),
    entries: fc.array(tie('entry'), { maxLength: 5 }),
  }),
})).entry;

function render(entries: Entry[], depth: number, eol: string, indent: string[]): string {
  const pad = (i: number) => indent[i % indent.length].repeat(depth);
  return entries
    .map((e, i) => {
      switch (e.kind) {
        case 'param': return `${pad(i)}${e.key}${e.spaceBefore}=${e.spaceAfter}${e.value}${eol}`;
        case 'bare': return `${pad(i)}${e.text}${eol}`;
        case 'comment': return `${pad(i)}#${e.text}${eol}`;
        case 'blank': return `${e.spaces}${eol}`;
        case 'domain': return `${pad(i)}<${e.name}>${eol}${render(e.entries, depth + 1, eol, indent)}${pad(i)}</${e.name}>${eol}`;
      }
    })
    .join('');
}

const documentArb = fc.record({
  entries: fc.array(entry, { maxLength: 6 }),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  indent: fc.array(fc.constantFrom('', '  ', '\t'), { minLength: 1, maxLength: 3 }),
});

/** Every domain path (as segment lists) and every key path in the document. */
function collectPaths(entries: Entry[], prefix: string[], domains: string[][], keys: string[][]): void {
  for (const e of entries) {
    if (e.kind === 'param') keys.push([...prefix, e.key.trim()]);
    if (e.kind === 'domain') {
      domains.push([...prefix, e.name]);
      collectPaths(e.entries, [...prefix, e.name], domains, keys);
    }
  }
}

const ourPath = (domains: string[], key?: string) => '/' + domains.join('/') + (key === undefined ? '' : `<${key}>`);
// @tars/utils addresses each segment as <name> so that dots inside names stay part of the name.
const oraclePath = (segments: string[]) => segments.map((s) => `<${s}>`).join('.');
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)); // drops the `undefined` of bare lines

describe('TarsConfig agrees with @tars/utils Config', () => {
  it('on the whole tree, every get, getDomain and getDomainLines of generated documents', () => {
    fc.assert(
      fc.property(documentArb, ({ entries, eol, indent }) => {
        const text = render(entries, 0, eol, indent);
        const oracle = new OracleConfig();
        expect(oracle.parseText(text)).toBe(true);
        const ours = TarsConfig.parse(text);

        expect(ours.toObject()).toEqual(plain(oracle.data));

        const domainPaths: string[][] = [];
        const keyPaths: string[][] = [];
        collectPaths(entries, [], domainPaths, keyPaths);
        for (const k of keyPaths) {
          expect(ours.get(ourPath(k.slice(0, -1), k[k.length - 1]))).toBe(oracle.get(oraclePath(k)));
        }
        for (const d of domainPaths) {
          expect(ours.getDomain(ourPath(d))).toEqual(oracle.getDomain(oraclePath(d), []));
          expect(ours.getDomainLines(ourPath(d))).toEqual(oracle.getDomainLine(oraclePath(d), []));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('on a K8SFramework-style server config', () => {
    const text = [
      '<tars>',
      '  <application>',
      '    enableset=n',
      '    setdivision=NULL',
      '    <client>',
      '      locator=tars.tarsregistry.QueryObj@tcp -h tars-tarsregistry -p 17890',
      '      sync-invoke-timeout=3000',
      '    </client>',
      '    <server>',
      '      app=tars',
      '      server=tarsconfig',
      '      local=tcp -h 127.0.0.1 -p 1000 -t 3000',
      '      <tars.tarsconfig.ConfigObjAdapter>',
      '        endpoint=tcp -h ${localip} -p 11111 -t 60000',
      '        servant=tars.tarsconfig.ConfigObj',
      '      </tars.tarsconfig.ConfigObjAdapter>',
      '    </server>',
      '  </application>',
      '</tars>',
    ].join('\n');
    const oracle = new OracleConfig();
    oracle.parseText(text);
    const ours = TarsConfig.parse(text);
    expect(ours.toObject()).toEqual(plain(oracle.data));
    expect(ours.get('/tars/application/server<local>')).toBe(oracle.get('tars.application.server.local'));
    expect(ours.get('/tars/application/server/tars.tarsconfig.ConfigObjAdapter<servant>')).toBe(
      oracle.get('tars.application.server.<tars.tarsconfig.ConfigObjAdapter>.servant'),
    );
    expect(ours.getDomain('/tars/application/server')).toEqual(oracle.getDomain('tars.application.server'));
  });
});

describe('TarsConfig text round trip', () => {
  it('parses its own output back to the same config', () => {
    fc.assert(
      fc.property(documentArb, ({ entries, eol, indent }) => {
        const first = TarsConfig.parse(render(entries, 0, eol, indent));
        const second = TarsConfig.parse(first.toString());
        expect(second.toObject()).toEqual(first.toObject());
        expect(second.toString()).toBe(first.toString());
      }),
      { numRuns: 200 },
    );
  });
});

describe('TarsConfig.set', () => {
  // Any domain names and keys the path syntax can express, any one-line value.
  const domainName = fc.string({ minLength: 1, maxLength: 8 }).filter((n) => n.trim() === n && n.length > 0 && !/[<>/\r\n]/.test(n));
  const keyName = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k.trim() === k && k.length > 0 && !/[<>=\r\n]/.test(k) && !/^#/.test(k));
  const oneLine = fc.string({ maxLength: 12 }).filter((v) => !/[\r\n]/.test(v));

  it('stores what get returns, and survives writing and re-reading the file', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(domainName, { minLength: 1, maxLength: 3 }), keyName, oneLine), { minLength: 1, maxLength: 8 }), (sets) => {
        const config = new TarsConfig();
        const expected = new Map<string, string>();
        for (const [domains, key, value] of sets) {
          const path = ourPath(domains, key);
          config.set(path, value);
          expected.set(path, value.trim());
        }
        const reread = TarsConfig.parse(config.toString());
        for (const [path, value] of expected) {
          expect(config.get(path)).toBe(value);
          expect(reread.get(path)).toBe(value);
        }
      }),
      { numRuns: 200 },
    );
  });
});

