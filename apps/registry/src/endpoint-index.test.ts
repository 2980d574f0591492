import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EndpointIndex, QUERY_OBJ, REGISTRY_OBJ } from './endpoint-index.ts';
import { tendpoint } from './testing/fixtures.ts';
import type { Answer } from './endpoint-list.ts';

const hostsOf = (a: Answer) => ({
  active: a.active.items.map((e) => `${e.host}:${e.port}/${e.istcp}/${e.timeout}`),
  inactive: a.inactive.items.map((e) => `${e.host}:${e.port}/${e.istcp}/${e.timeout}`),
});

const hello = tendpoint('Test', 'HelloServer', [{ name: 'HelloObj', port: 10000, timeout: 3000 }, { name: 'UdpObj', port: 10001, isTcp: false }], [
  { name: 'test-helloserver-0', podIP: '10.0.0.1' },
  { name: 'test-helloserver-1', podIP: '10.0.0.2', setting: 'Active', present: 'Activating' },
  { name: 'test-helloserver-2', podIP: '10.0.0.3', setting: 'Inactive', present: 'Active' },
  { name: 'test-helloserver-3', podIP: '10.0.0.4', setting: 'Active', present: 'Terminating' },
]);

describe('EndpointIndex', () => {
  it('answers the registry objects with the fixed endpoints', () => {
    const index = new EndpointIndex();
    expect(hostsOf(index.lookup(QUERY_OBJ))).toEqual({ active: ['tars-tarsregistry:17890/1/6000'], inactive: [] });
    expect(hostsOf(index.lookup(REGISTRY_OBJ))).toEqual({ active: ['tars-tarsregistry:17891/1/6000'], inactive: [] });
    const local = new EndpointIndex({ self: { query: { host: '127.0.0.1', port: 1 }, registry: { host: '127.0.0.1', port: 2 } } });
    expect(hostsOf(local.lookup(REGISTRY_OBJ)).active).toEqual(['127.0.0.1:2/1/6000']);
  });

  it('splits pods into active (Active/Active) and inactive, host <pod>.<app-server>', () => {
    const index = new EndpointIndex();
    index.setEndpoint(hello);
    expect(hostsOf(index.lookup('Test.HelloServer.HelloObj'))).toEqual({
      active: ['test-helloserver-0.test-helloserver:10000/1/3000'],
      inactive: [
        'test-helloserver-1.test-helloserver:10000/1/3000',
        'test-helloserver-2.test-helloserver:10000/1/3000',
        'test-helloserver-3.test-helloserver:10000/1/3000',
      ],
    });
    expect(hostsOf(index.lookup('Test.HelloServer.UdpObj')).active).toEqual(['test-helloserver-0.test-helloserver:10001/0/60000']);
  });

  it('uses pod IPs in podIP style and skips pods without one', () => {
    const index = new EndpointIndex({ hostStyle: 'podIP' });
    index.setEndpoint(tendpoint('A', 'B', [{ name: 'O', port: 1 }], [{ name: 'a-b-0', podIP: '10.1.1.1' }, { name: 'a-b-1' }]));
    expect(hostsOf(index.lookup('A.B.O'))).toEqual({ active: ['10.1.1.1:1/1/60000'], inactive: [] });
  });

  it('finds the TEndpoint whatever the case of App and Server, servant names are exact', () => {
    const index = new EndpointIndex();
    index.setEndpoint(hello);
    expect(index.lookup('test.helloserver.HelloObj').active.length).toBe(1);
    expect(index.lookup('TEST.HELLOSERVER.HelloObj').active.length).toBe(1);
    expect(index.lookup('Test.HelloServer.helloobj').active.length).toBe(0);
  });

  it.each([
    [''], ['Test'], ['Test.HelloServer'], ['Test..HelloObj'], ['.HelloServer.HelloObj'], ['Test.HelloServer.'],
    ['Test.HelloServer.HelloObj.x'], ['Test.HelloServer.HelloObj@tcp -h 1.2.3.4 -p 1'], ['\u0000.\u0000.\u0000'], ['x'.repeat(100_000)],
  ])('answers empty for the malformed or unknown id %j', (id) => {
    const index = new EndpointIndex();
    index.setEndpoint(hello);
    index.setUpChain({ 'Test.HelloServer.HelloObj@tcp -h 1.2.3.4 -p 1': [{ host: 'h', port: 1 }] });
    expect(hostsOf(index.lookup(id))).toEqual({ active: [], inactive: [] });
  });

  it('falls back to the upChain only for objects of no TEndpoint: exact id, else default', () => {
    const index = new EndpointIndex();
    index.setEndpoint(hello);
    index.setUpChain({
      'Other.Server.Obj': [{ host: 'up1', port: 7000, timeout: 1000, isTcp: true }],
      default: [{ host: 'up-default', port: 7001 }, { host: 'up-udp', port: 7002, isTcp: false }],
    });
    expect(hostsOf(index.lookup('Other.Server.Obj'))).toEqual({ active: ['up1:7000/1/1000'], inactive: [] });
    expect(hostsOf(index.lookup('Any.Thing.Obj'))).toEqual({ active: ['up-default:7001/1/6000', 'up-udp:7002/0/6000'], inactive: [] });
    // the TEndpoint exists but has no such servant: nothing, not the default chain
    expect(hostsOf(index.lookup('Test.HelloServer.NoSuchObj'))).toEqual({ active: [], inactive: [] });
    index.setUpChain(undefined);
    expect(index.lookup('Other.Server.Obj').active.length).toBe(0);
  });

  it('follows updates and deletes, and ignores TEndpoints without spec.tars', () => {
    const index = new EndpointIndex();
    index.setUpChain({ default: [{ host: 'up', port: 1 }] });
    index.setEndpoint(hello);
    const first = index.lookup('Test.HelloServer.HelloObj');
    index.setEndpoint(tendpoint('Test', 'HelloServer', [{ name: 'HelloObj', port: 10000, timeout: 3000 }], [{ name: 'test-helloserver-9' }]));
    expect(hostsOf(index.lookup('Test.HelloServer.HelloObj')).active).toEqual(['test-helloserver-9.test-helloserver:10000/1/3000']);
    // an answer once handed out is never changed (replies may still be encoding it)
    expect(first.active.items[0].host).toBe('test-helloserver-0.test-helloserver');
    index.deleteEndpoint('test-helloserver');
    expect(hostsOf(index.lookup('Test.HelloServer.HelloObj')).active).toEqual(['up:1/1/6000']);
    const normal = tendpoint('Test', 'Web', [], []);
    delete (normal.spec as { tars?: unknown }).tars;
    index.setEndpoint(normal);
    expect(index.serverCount).toBe(0);
    expect(hostsOf(index.lookup('Test.Web.HttpObj')).active).toEqual(['up:1/1/6000']);
  });

  it('answers the exact spelling and any other case of App.Server alike, through changes', () => {
    const index = new EndpointIndex();
    const variants = ['Test.HelloServer.HelloObj', 'test.helloserver.HelloObj', 'TEST.HelloServer.HelloObj'];
    const same = () => {
      const answers = variants.map((id) => hostsOf(index.lookup(id)));
      for (const a of answers) expect(a).toEqual(answers[0]);
      // by bytes (as requests carry ids) the same answers, the very same objects
      for (const id of variants) {
        const b = Buffer.from(`..${id}..`);
        expect(index.lookupBytes(b, 2, b.length - 2)).toBe(index.lookup(id));
      }
      return answers[0];
    };
    index.setUpChain({ default: [{ host: 'up', port: 1 }] });
    expect(same().active).toEqual(['up:1/1/6000']);
    index.setEndpoint(hello);
    expect(same().active).toEqual(['test-helloserver-0.test-helloserver:10000/1/3000']);
    index.setEndpoint(tendpoint('Test', 'HelloServer', [{ name: 'OtherObj', port: 1 }], [{ name: 'p' }]));
    expect(same()).toEqual({ active: [], inactive: [] });
    index.deleteEndpoint('test-helloserver');
    expect(same().active).toEqual(['up:1/1/6000']);
    // a TEndpoint whose name is not lower(app)-lower(server) answers under the name only
    const odd = tendpoint('Test', 'HelloServer', [{ name: 'HelloObj', port: 2 }], [{ name: 'p' }]);
    odd.metadata.name = 'renamed';
    index.setEndpoint(odd);
    expect(same().active).toEqual(['up:1/1/6000']);
  });
});

describe('EndpointIndex on arbitrary ids', () => {
  it('never throws and resolves only the ids it knows', () => {
    const index = new EndpointIndex();
    index.setEndpoint(hello);
    const known = new Set(['test.helloserver.HelloObj', 'test.helloserver.UdpObj']);
    const normal = (id: string) => {
      const p = id.split('.');
      return p.length === 3 ? `${p[0].toLowerCase()}.${p[1].toLowerCase()}.${p[2]}` : id;
    };
    const ids = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(fc.constantFrom('Test', 'HelloServer', 'HelloObj', 'UdpObj', '', '.', 'x', '\u0000', 'é'), { maxLength: 6 }).map((a) => a.join('.')),
    );
    fc.assert(fc.property(ids, (id) => {
      const a = index.lookup(id);
      const resolved = a.active.length + a.inactive.length > 0;
      expect(resolved).toBe(known.has(normal(id)));
      const b = Buffer.from(id);
      expect(index.lookupBytes(b, 0, b.length)).toBe(a);
    }), { numRuns: 2000 });
  });
});
