// The official Node clients, given nothing but the registry's locator: @tars/registry finds
// objects, and @tars/config finds tars.tarsconfig.ConfigObj through the registry (its @tars/rpc
// communicator asks QueryF) and loads configs from our config service. Both on our RPC runtime,
// over the embedded ClusterState (standalone mode: pod IPs as endpoint hosts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedClusterState } from '@tars-ts/cluster';
import { silentLogger } from '@tars-ts/rpc';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the official config client must find this servant through the registry
import { startConfigService, type RunningConfigService } from '@tars-ts/app-config';
import { startRegistry, type RunningRegistry } from './registry-service.ts';
import { tendpoint } from './testing/fixtures.ts';
import { eventually, putEndpoint } from './testing/cluster.ts';

const require = createRequire(import.meta.url);

interface OfficialEndpoint { host: string; port: number; istcp: number; timeout: number }
const plain = (list: { value: OfficialEndpoint[] }) => list.value.map((e) => `${e.host}:${e.port}/${e.istcp}/${e.timeout}`);

describe('official @tars/registry and @tars/config clients against our registry and config service', () => {
  let dir: string;
  let cluster: EmbeddedClusterState;
  let config: RunningConfigService;
  let registry: RunningRegistry;
  let locator: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'registry-official-'));
    cluster = await EmbeddedClusterState.open({ dataDir: join(dir, 'data') });
    config = await startConfigService({ cluster, logger: silentLogger, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000' });
    const configPort = config.server.endpointOf('tars.tarsconfig.ConfigObj').port;
    await putEndpoint(cluster, tendpoint('tars', 'tarsconfig', [{ name: 'ConfigObj', port: configPort }], [{ name: 'tars-tarsconfig-0', podIP: '127.0.0.1' }]));
    await putEndpoint(cluster, tendpoint('Test', 'HelloServer', [{ name: 'HelloObj', port: 10000, timeout: 3000 }], [
      { name: 'test-helloserver-0', podIP: '10.0.0.1' },
      { name: 'test-helloserver-1', podIP: '10.0.0.2', present: 'Activating' },
    ]));
    // this process plays pod 0 of Test.HelloServer: its per-pod config must reach it by IP
    await cluster.putPod({ metadata: { name: 'test-helloserver-0', labels: { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'HelloServer' } }, spec: { containers: [{ name: 'main' }] }, status: { podIP: '127.0.0.1' } });
    const tc = cluster.resource('TConfig');
    const base = { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TConfig' } as const;
    await tc.create({ ...base, metadata: { name: 'hello-conf-m' }, app: 'Test', server: 'HelloServer', configName: 'HelloServer.conf', configContent: '<hello>\nworld=1\n</hello>', podSeq: 'm', activated: true });
    await tc.create({ ...base, metadata: { name: 'hello-conf-0' }, app: 'Test', server: 'HelloServer', configName: 'HelloServer.conf', configContent: '<hello>\npod=0\n</hello>', podSeq: '0', activated: true });
    await tc.create({ ...base, metadata: { name: 'hello-conf-1' }, app: 'Test', server: 'HelloServer', configName: 'HelloServer.conf', configContent: '<hello>\npod=1\n</hello>', podSeq: '1', activated: true });
    await tc.create({ ...base, metadata: { name: 'hello-extra' }, app: 'Test', server: 'HelloServer', configName: 'extra.json', configContent: '{"a":1}', podSeq: 'm', activated: true });
    await tc.create({ ...base, metadata: { name: 'hello-off' }, app: 'Test', server: 'HelloServer', configName: 'off.conf', configContent: 'x', podSeq: 'm', activated: false });
    await tc.create({ ...base, metadata: { name: 'test-app' }, app: 'Test', server: '', configName: 'app.conf', configContent: '<app>\nshared=yes\n</app>', podSeq: 'm', activated: true });
    registry = await startRegistry({
      cluster,
      logger: silentLogger,
      hostStyle: 'podIP',
      self: 'bound',
      queryEndpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000',
      registryEndpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000',
    });
    locator = `tars.tarsregistry.QueryObj@${registry.queryEndpoint}`;
    await eventually(() => expect(config.core.index.size).toBe(6));
  });

  afterAll(async () => {
    await registry?.stop();
    await config?.stop();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('@tars/registry finds objects with the active/inactive split, and nothing for bad names', async () => {
    const client = require('@tars/registry').New();
    client.setLocator(locator);
    try {
      const byId = await client.findObjectById('Test.HelloServer.HelloObj');
      expect(plain(byId.response.return)).toEqual(['10.0.0.1:10000/1/3000']);
      for (const method of ['findObjectById4Any', 'findObjectById4All', 'findObjectByIdInSameGroup']) {
        const r = await client[method]('Test.HelloServer.HelloObj');
        expect(r.response.return).toBe(0);
        expect(plain(r.response.arguments.activeEp)).toEqual(['10.0.0.1:10000/1/3000']);
        expect(plain(r.response.arguments.inactiveEp)).toEqual(['10.0.0.2:10000/1/3000']);
      }
      const station = await client.findObjectByIdInSameStation('Test.HelloServer.HelloObj', 'sz');
      expect(plain(station.response.arguments.activeEp)).toEqual(['10.0.0.1:10000/1/3000']);
      const set = await client.findObjectByIdInSameSet('Test.HelloServer.HelloObj', 'app.sz.1');
      expect(plain(set.response.arguments.inactiveEp)).toEqual(['10.0.0.2:10000/1/3000']);
      for (const bad of ['', 'Test', 'Test.HelloServer', 'a..b', 'Test.HelloServer.HelloObj.x', 'Unknown.Server.Obj', '\u0000\u0001']) {
        const r = await client.findObjectById4Any(bad);
        expect([r.response.return, plain(r.response.arguments.activeEp), plain(r.response.arguments.inactiveEp)]).toEqual([0, [], []]);
      }
      const self = await client.findObjectById('tars.tarsregistry.RegistryObj');
      expect(plain(self.response.return)).toEqual([`127.0.0.1:${registry.server.endpointOf('tars.tarsregistry.RegistryObj').port}/1/6000`]);
    } finally {
      client._proxy?._worker?.destroy();
    }
  });

  it('@tars/config finds the config servant through the registry and loads merged configs', async () => {
    const confFile = join(dir, 'Test.HelloServer.config.conf');
    writeFileSync(confFile, [
      '<tars>', '<application>', '<client>', `locator=${locator}`, 'async-invoke-timeout=5000', '</client>',
      '<server>', 'app=Test', 'server=HelloServer', 'localip=127.0.0.1', '</server>', '</application>', '</tars>', '',
    ].join('\n'));
    const TarsConfig = require('@tars/config');
    const cfg = new TarsConfig(confFile);
    try {
      // master + the override of pod 0 (this caller's IP belongs to pod test-helloserver-0)
      expect(await cfg.loadServerConfig({ format: 'TEXT' })).toBe('<hello>\nworld=1\n</hello>\r\n\r\n<hello>\npod=0\n</hello>');
      expect(await cfg.loadConfig('HelloServer.conf')).toEqual({ hello: { world: '1', pod: '0' } });
      expect(await cfg.loadConfig('extra.json', { format: 'JSON' })).toEqual({ a: 1 });
      expect(await cfg.loadConfig('app.conf', { location: 'APP', format: 'TEXT' })).toBe('<app>\nshared=yes\n</app>');
      expect(await cfg.loadList()).toEqual(['HelloServer.conf', 'extra.json']);
      expect(await cfg.loadList({ location: 'APP' })).toEqual(['app.conf']);
      // a missing or deactivated file: the reason comes back instead of content (ret -1)
      expect(await cfg.loadConfig('off.conf', { format: 'TEXT' })).toMatch(/does not exist or is not activated/);
      expect(await cfg.loadConfig('../../etc/passwd', { format: 'TEXT' })).toMatch(/invalid config name/);
    } finally {
      cfg._client?._worker?.destroy();
    }
  });
});
