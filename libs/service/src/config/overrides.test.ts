import { describe, expect, it } from 'vitest';
import { configPathFrom } from './locate.ts';
import { applyOverrides, ConfigOverrideError, overridesFromEnv } from './overrides.ts';
import { readServerConfig } from './server-config.ts';
import { TarsConfig } from './tars-config.ts';

const FILE = `<tars>
  <application>
    enableset=n
    setdivision=NULL
    <client>
      locator=tars.tarsregistry.QueryObj@tcp -h tars-tarsregistry -p 17890
      report-interval=10000
    </client>
    <server>
      app=tars
      server=tarsnotify
      local=tcp -h 127.0.0.1 -p 1000 -t 3000
      logpath=/usr/local/app/tars/app_log/
      logLevel=info
      <tars.tarsnotify.NotifyObjAdapter>
        endpoint=tcp -h 10.0.0.1 -p 13111 -t 60000
        servant=tars.tarsnotify.NotifyObj
        threads=4
        maxconns=1024
      </tars.tarsnotify.NotifyObjAdapter>
      <not-an-adapter>
        x=1
      </not-an-adapter>
    </server>
  </application>
</tars>`;

describe('environment overrides', () => {
  it('applies per-key variables in name order, then the list in line order', () => {
    const config = TarsConfig.parse(FILE);
    const applied = applyOverrides(
      config,
      overridesFromEnv({
        PATH: '/bin',
        TARS_CONFIG__tars__application__server__logLevel: 'DEBUG',
        TARS_CONFIG__tars__application__server__app: 'first',
        TARS_CONFIG_OVERRIDE: [
          '# comment',
          '/tars/application/server/tars.tarsnotify.NotifyObjAdapter<endpoint>=tcp -h 0.0.0.0 -p 0',
          '',
          '/tars/application/server<app>=second',
          '/tars/new/domain<key>=a=b',
        ].join('\n'),
      }),
    );
    expect(applied.map((o) => o.from)).toEqual([
      'TARS_CONFIG__tars__application__server__app',
      'TARS_CONFIG__tars__application__server__logLevel',
      'TARS_CONFIG_OVERRIDE:2',
      'TARS_CONFIG_OVERRIDE:4',
      'TARS_CONFIG_OVERRIDE:5',
    ]);
    expect(config.get('/tars/application/server<logLevel>')).toBe('DEBUG');
    expect(config.get('/tars/application/server<app>')).toBe('second');
    expect(config.get('/tars/application/server/tars.tarsnotify.NotifyObjAdapter<endpoint>')).toBe('tcp -h 0.0.0.0 -p 0');
    expect(config.get('/tars/new/domain<key>')).toBe('a=b');
  });

  it('rejects malformed overrides naming the variable', () => {
    expect(() => overridesFromEnv({ TARS_CONFIG__logLevel: 'x' })).toThrow('config override TARS_CONFIG__logLevel');
    expect(() => overridesFromEnv({ TARS_CONFIG__tars____k: 'x' })).toThrow(ConfigOverrideError);
    expect(() => overridesFromEnv({ TARS_CONFIG_OVERRIDE: '\n/tars/app=1' })).toThrow('TARS_CONFIG_OVERRIDE:2');
    expect(() => overridesFromEnv({ TARS_CONFIG_OVERRIDE: 'tars<app>=1' })).toThrow("must start with '/'");
    expect(() => overridesFromEnv({ TARS_CONFIG_OVERRIDE: '/tars/x=1' })).toThrow(ConfigOverrideError);
    expect(() => applyOverrides(new TarsConfig(), [{ path: '/tars<#k>', value: '1', from: 'X' }])).toThrow('config override X');
  });

  it('finds nothing in an unrelated environment', () => {
    expect(overridesFromEnv({ HOME: '/root', TARS_CONFIG: '/x.conf' })).toEqual([]);
  });
});

describe('config file location', () => {
  it('prefers --config=, then --config FILE, then TARS_CONFIG', () => {
    expect(configPathFrom(['node', 'main.ts', '--config=/a.conf'], { TARS_CONFIG: '/b.conf' })).toBe('/a.conf');
    expect(configPathFrom(['--verbose', '--config', '/c.conf'], {})).toBe('/c.conf');
    expect(configPathFrom(['node'], { TARS_CONFIG: '/b.conf' })).toBe('/b.conf');
    expect(configPathFrom(['node'], { TARS_CONFIG: '' })).toBeUndefined();
    expect(configPathFrom([], {})).toBeUndefined();
  });

  it('rejects a flag without a file', () => {
    expect(() => configPathFrom(['--config='], {})).toThrow('--config= needs a file name');
    expect(() => configPathFrom(['--config'], {})).toThrow('--config needs a file name');
  });
});

describe('readServerConfig', () => {
  it('reads the standard keys with TarsCpp defaults and finds adapters', () => {
    const server = readServerConfig(TarsConfig.parse(FILE));
    expect(server).toMatchObject({
      app: 'tars',
      server: 'tarsnotify',
      local: 'tcp -h 127.0.0.1 -p 1000 -t 3000',
      logpath: '/usr/local/app/tars/app_log/',
      logLevel: 'INFO',
      logSize: 50 * 1024 * 1024,
      logNum: 10,
      enableSet: false,
      setDivision: undefined,
      metricsPort: undefined,
      client: {
        locator: 'tars.tarsregistry.QueryObj@tcp -h tars-tarsregistry -p 17890',
        modulename: 'tars.tarsnotify',
        reportIntervalMs: 10000,
        syncInvokeTimeoutMs: 3000,
      },
    });
    expect(server.adapters).toEqual([
      {
        name: 'tars.tarsnotify.NotifyObjAdapter',
        endpoint: 'tcp -h 10.0.0.1 -p 13111 -t 60000',
        servant: 'tars.tarsnotify.NotifyObj',
        protocol: 'tars',
        threads: 4,
        maxconns: 1024,
      },
    ]);
  });

  it('requires app and server, and an endpoint for every servant', () => {
    expect(() => readServerConfig(TarsConfig.parse('<tars>\n</tars>'))).toThrow('/tars/application/server<app>: required value is missing');
    const noEndpoint = TarsConfig.parse(FILE);
    noEndpoint.set('/tars/application/server/XAdapter<servant>', 'A.B.XObj');
    expect(() => readServerConfig(noEndpoint)).toThrow('adapter XAdapter declares servant A.B.XObj but no endpoint');
  });
});
