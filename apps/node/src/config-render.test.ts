import { k8s } from '@tars-ts/interfaces';
import { TarsConfig } from '@tars-ts/service';
import { describe, expect, it } from 'vitest';
import { mainClassOf, renderServerConfig, replaceMacros, type RenderContext } from './config-render.ts';
import { baseProfile, localDescriptor } from './local-descriptor.ts';

const ctx: RenderContext = {
  app: 'Test',
  server: 'HelloServer',
  listenAddress: 'test-helloserver-0.test-helloserver',
  binDir: '/usr/local/app/tars/tarsnode/data/Test.HelloServer/bin',
  dataDir: '/usr/local/app/tars/tarsnode/data/Test.HelloServer/data',
  logDir: '/usr/local/app/tars/app_log',
  locator: 'tars.tarsregistry.QueryObj@tcp -h tars-tarsregistry -p 17890',
  local: 'tcp -h 127.0.0.1 -p 1000 -t 3000',
  nodeObj: 'tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p 19386 -t 60000',
};

function descriptor(profile: string, adapters: k8s.RegistryDescriptor.AdapterDescriptor[] = []): k8s.RegistryDescriptor.ServerDescriptor {
  return k8s.RegistryDescriptor.ServerDescriptor.create({ profile, asyncThreadNum: 3, adapters: new Map(adapters.map((a) => [a.adapterName, a])) });
}

describe('replaceMacros', () => {
  const table: Array<[string, string]> = [
    ['${modulename}', 'Test.HelloServer'],
    ['${app}', 'Test'],
    ['${server}', 'HelloServer'],
    ['${basepath}', '/usr/local/app/tars/tarsnode/data/Test.HelloServer/bin/'],
    ['${datapath}', '/usr/local/app/tars/tarsnode/data/Test.HelloServer/data/'],
    ['${logpath}', '/usr/local/app/tars/app_log/'],
    ['${localip}', 'test-helloserver-0.test-helloserver'],
    ['${locator}', 'tars.tarsregistry.QueryObj@tcp -h tars-tarsregistry -p 17890'],
    ['${local}', 'tcp -h 127.0.0.1 -p 1000 -t 3000'],
    ['${asyncthread}', '3'],
    ['${mainclass}', 'com.qq.test.helloserver.HelloServer'],
    ['${enableset}', 'n'],
    ['${setdivision}', 'NULL'],
    ['${unknown}', '${unknown}'],
    ['x=${app}.${server}@${localip}', 'x=Test.HelloServer@test-helloserver-0.test-helloserver'],
  ];
  for (const [input, output] of table) it(`${input} → ${output}`, () => expect(replaceMacros(input, ctx, 3)).toBe(output));

  it('keeps the trailing slash of a path given with one', () => {
    expect(replaceMacros('${logpath}', { ...ctx, logDir: '/logs/' }, 0)).toBe('/logs/');
  });

  it('builds mainclass from lower-case app and server', () => {
    expect(mainClassOf('MyApp', 'JavaServer')).toBe('com.qq.myapp.javaserver.JavaServer');
  });
});

describe('renderServerConfig', () => {
  const adapter = k8s.RegistryDescriptor.AdapterDescriptor.create({
    adapterName: 'Test.HelloServer.HelloObjAdapter', servant: 'Test.HelloServer.HelloObj',
    endpoint: 'tcp -h ${localip} -p 10000 -t 60000', threadNum: 3, maxConnections: 10000, queuecap: 50000, queuetimeout: 20000,
    allowIp: '', protocol: 'tars',
  });

  it('generates node and one block per adapter, with ${localip} replaced', () => {
    const r = renderServerConfig(descriptor('', [adapter]), ctx);
    const c = TarsConfig.parse(r.text);
    expect(c.get('/tars/application/server<node>')).toBe(ctx.nodeObj);
    expect(c.getDomainMap('/tars/application/server/Test.HelloServer.HelloObjAdapter')).toEqual({
      endpoint: 'tcp -h test-helloserver-0.test-helloserver -p 10000 -t 60000',
      allow: '', queuecap: '50000', queuetimeout: '20000', maxconns: '10000', threads: '3', servant: 'Test.HelloServer.HelloObj', protocol: 'tars',
    });
    expect(r.adapters).toEqual(['Test.HelloServer.HelloObjAdapter', 'AdminAdapter']);
  });

  it('lets the profile override generated keys', () => {
    const profile = '<tars>\n<application>\n<server>\nnode=tars.tarsnode.ServerObj@tcp -h 10.0.0.1 -p 1\n<Test.HelloServer.HelloObjAdapter>\nthreads=8\n</Test.HelloServer.HelloObjAdapter>\n</server>\n</application>\n</tars>';
    const c = TarsConfig.parse(renderServerConfig(descriptor(profile, [adapter]), ctx).text);
    expect(c.get('/tars/application/server<node>')).toBe('tars.tarsnode.ServerObj@tcp -h 10.0.0.1 -p 1');
    expect(c.get('/tars/application/server/Test.HelloServer.HelloObjAdapter<threads>')).toBe('8');
    expect(c.get('/tars/application/server/Test.HelloServer.HelloObjAdapter<servant>')).toBe('Test.HelloServer.HelloObj');
  });

  const heart: Array<[string, number, number]> = [
    ['', 60_000, 0],
    ['hearttimeout=45', 45_000, 0],
    ['hearttimeout=1.5', 1500, 0],
    ['hearttimeout=soon', 60_000, 1],
    ['hearttimeout=-3', 60_000, 1],
  ];
  for (const [line, ms, warnings] of heart) {
    it(`reads "${line}" as a heart timeout of ${ms} ms`, () => {
      const r = renderServerConfig(descriptor(`<tars>\n<application>\n<server>\n${line}\n</server>\n</application>\n</tars>`), ctx);
      expect(r.heartTimeoutMs).toBe(ms);
      expect(r.warnings).toHaveLength(warnings);
    });
  }

  it('reads local and env back', () => {
    const r = renderServerConfig(descriptor('<tars>\n<application>\n<server>\nlocal=${local}\nenv=A=1\n</server>\n</application>\n</tars>'), ctx);
    expect(r.adminEndpoint).toBe('tcp -h 127.0.0.1 -p 1000 -t 3000');
    expect(r.env).toBe('A=1');
    expect(renderServerConfig(descriptor(''), ctx).adminEndpoint).toBeUndefined();
  });

  it('rejects a profile that does not parse, naming the line', () => {
    expect(() => renderServerConfig(descriptor('<tars>\n<server>\n</tars>'), ctx)).toThrow(/profile:3/);
  });
});

describe('localDescriptor (laptop mode)', () => {
  it('builds adapters from servants and the standard layout from the base profile', () => {
    const d = localDescriptor({ app: 'Demo', server: 'Hello', servants: [{ name: 'HelloObj', port: 8080 }, { name: 'RawObj', port: 8081, tars: false, tcp: false }], withFramework: false, withLocal: false });
    expect([...d.adapters.keys()]).toEqual(['Demo.Hello.HelloObjAdapter', 'Demo.Hello.RawObjAdapter']);
    expect(d.adapters.get('Demo.Hello.RawObjAdapter')).toMatchObject({ endpoint: 'udp -h ${localip} -p 8081 -t 60000', protocol: 'not_tars', servant: 'Demo.Hello.RawObj' });
    const c = TarsConfig.parse(renderServerConfig(d, { ...ctx, app: 'Demo', server: 'Hello', listenAddress: '127.0.0.1', locator: '', local: '' }).text);
    expect(c.get('/tars/application/server<app>')).toBe('Demo');
    expect(c.get('/tars/application/client<modulename>')).toBe('Demo.Hello');
    expect(c.get('/tars/application/server/Demo.Hello.HelloObjAdapter<endpoint>')).toBe('tcp -h 127.0.0.1 -p 8080 -t 60000');
    // No locator: nothing names framework objects that could not be resolved, and no admin endpoint.
    expect(c.get('/tars/application/client<locator>')).toBeUndefined();
    expect(c.get('/tars/application/server<log>')).toBeUndefined();
    expect(c.get('/tars/application/server<local>')).toBeUndefined();
  });

  it('lets the user profile win over the base profile', () => {
    const d = localDescriptor({ app: 'Demo', server: 'Hello', servants: [], profile: '<tars>\n<application>\n<client>\nsync-invoke-timeout=9000\n</client>\n</application>\n</tars>', withFramework: true, withLocal: true });
    const c = TarsConfig.parse(d.profile);
    expect(c.get('/tars/application/client<sync-invoke-timeout>')).toBe('9000');
    expect(c.get('/tars/application/client<locator>')).toBe('${locator}');
    expect(c.get('/tars/application/server<local>')).toBe('${local}');
    expect(c.get('/tars/application/server<notify>')).toBe('tars.tarsnotify.NotifyObj');
  });

  it('has a base profile that parses in every variant', () => {
    for (const withFramework of [false, true]) {
      for (const withLocal of [false, true]) {
        const c = TarsConfig.parse(baseProfile({ withFramework, withLocal }));
        const variant = JSON.stringify({ withFramework, withLocal });
        expect(c.get('/tars/application/server<app>'), variant).toBe('${app}');
        expect(c.get('/tars/application/client<locator>'), variant).toBe(withFramework ? '${locator}' : undefined);
        expect(c.get('/tars/application/server<notify>'), variant).toBe(withFramework ? 'tars.tarsnotify.NotifyObj' : undefined);
        expect(c.get('/tars/application/server<local>'), variant).toBe(withLocal ? '${local}' : undefined);
      }
    }
  });
});
