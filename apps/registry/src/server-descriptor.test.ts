import { describe, expect, it } from 'vitest';
import { TarsConfig } from '@tars-ts/service';
import { buildServerDescriptor } from './server-descriptor.ts';
import { tendpoint, ttemplate } from './testing/fixtures.ts';

const templates = new Map([
  ['tars.default', ttemplate('tars.default', 'tars.default', '<tars>\n<application>\n<client>\nsync-invoke-timeout=3000\nasync-invoke-timeout=5000\n</client>\n<server>\nlogLevel=DEBUG\nlogsize=10M\n</server>\n</application>\n<elk>\n<nodes>\nes-0:9200\n</nodes>\n</elk>\n</tars>')],
  ['tars.cpp', ttemplate('tars.cpp', 'tars.default', '<tars>\n<application>\n<server>\nlogLevel=INFO\nthreads=4\n</server>\n</application>\n<elk>\n<nodes>\nes-1:9200\n</nodes>\n</elk>\n</tars>')],
  ['loop.a', ttemplate('loop.a', 'loop.b', '<x>\na=1\n</x>')],
  ['loop.b', ttemplate('loop.b', 'loop.a', '<x>\nb=1\n</x>')],
  ['broken', ttemplate('broken', 'tars.default', '<tars>\n<application>\n</tars>')],
]);
const lookup = (name: string) => templates.get(name);

describe('buildServerDescriptor', () => {
  it('describes every servant as an adapter, as the K8S registry does', () => {
    const te = tendpoint('Test', 'HelloServer', [{ name: 'HelloObj', port: 10000, timeout: 3000, thread: 5 }, { name: 'RawObj', port: 10001, isTcp: false, isTars: false }], []);
    const r = buildServerDescriptor('Test', 'HelloServer', te, lookup);
    if (!r.ok) throw new Error(r.reason);
    expect(r.descriptor.asyncThreadNum).toBe(3);
    expect([...r.descriptor.adapters.entries()]).toEqual([
      ['Test.HelloServer.HelloObjAdapter', {
        adapterName: 'Test.HelloServer.HelloObjAdapter', servant: 'Test.HelloServer.HelloObj', endpoint: 'tcp -h ${localip} -p 10000 -t 3000',
        threadNum: 5, maxConnections: 10000, queuecap: 10000, queuetimeout: 3000, allowIp: '', protocol: 'tars',
      }],
      ['Test.HelloServer.RawObjAdapter', {
        adapterName: 'Test.HelloServer.RawObjAdapter', servant: 'Test.HelloServer.RawObj', endpoint: 'udp -h ${localip} -p 10001 -t 60000',
        threadNum: 3, maxConnections: 10000, queuecap: 10000, queuetimeout: 60000, allowIp: '', protocol: 'not_tars',
      }],
    ]);
  });

  it('joins profile, template and parent template: the nearest value wins, bare lines accumulate', () => {
    const te = tendpoint('Test', 'HelloServer', [], [], { profile: '<tars>\n<application>\n<server>\nlogsize=99M\n</server>\n</application>\n</tars>' });
    const r = buildServerDescriptor('Test', 'HelloServer', te, lookup);
    if (!r.ok) throw new Error(r.reason);
    const c = TarsConfig.parse(r.descriptor.profile);
    expect(c.get('/tars/application/server<logsize>')).toBe('99M'); // profile over both templates
    expect(c.get('/tars/application/server<logLevel>')).toBe('INFO'); // tars.cpp over tars.default
    expect(c.get('/tars/application/server<threads>')).toBe('4');
    expect(c.get('/tars/application/client<sync-invoke-timeout>')).toBe('3000'); // only in the root
    expect(c.getDomainLines('/tars/elk/nodes')).toEqual(['es-1:9200', 'es-0:9200']);
  });

  it.each([
    ['empty app', '', 'HelloServer', {}, /must not be empty/],
    ['no TEndpoint', 'Test', 'HelloServer', { missing: true }, /no TEndpoint/],
    ['missing template', 'Test', 'HelloServer', { template: 'tars.nope' }, /template tars.nope not found/],
    ['template cycle', 'Test', 'HelloServer', { template: 'loop.a' }, /does not reach a root/],
    ['unparsable template', 'Test', 'HelloServer', { template: 'broken' }, /does not match|not closed|unclosed/i],
    ['unparsable profile', 'Test', 'HelloServer', { profile: '<a>' }, /profile/],
  ])('fails clearly: %s', (_name, app, server, opts: { missing?: boolean; template?: string; profile?: string }, reason) => {
    const te = opts.missing ? undefined : tendpoint('Test', 'HelloServer', [], [], opts);
    const r = buildServerDescriptor(app, server, te, lookup);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
