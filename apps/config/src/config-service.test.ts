// Every ConfigF method over a real socket (our generated ConfigProxy, TARS and TUP), on the
// embedded ClusterState: merge levels, pod identification, lists, checks, changes picked up by
// the watch, refusals and the load limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TConfig } from '@tars-ts/api';
import { EmbeddedClusterState } from '@tars-ts/cluster';
import { ConfigF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { CONFIG_OBJ, startConfigService, type RunningConfigService } from './config-service.ts';
import { RATE_LIMITED } from './rate-limit.ts';

const M = '<hello>\nworld=1\n</hello>';
const info = (init: Partial<ConfigF.ConfigInfo>) => ConfigF.ConfigInfo.create({ appname: 'Test', servername: 'HelloServer', ...init });

describe('config service over RPC', () => {
  let dir: string;
  let cluster: EmbeddedClusterState;
  let service: RunningConfigService;
  let comm: Communicator;
  let proxy: ConfigF.ConfigProxy;
  const create = (name: string, fields: Partial<TConfig>) => cluster.resource('TConfig').create({
    apiVersion: 'k8s.tars.io/v1beta3', kind: 'TConfig', metadata: { name }, app: 'Test', server: 'HelloServer', podSeq: 'm', activated: true, configContent: '', configName: '', ...fields,
  } as TConfig);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'config-rpc-'));
    cluster = await EmbeddedClusterState.open({ dataDir: dir });
    await create('m', { configName: 'HelloServer.conf', configContent: M });
    await create('s1', { configName: 'HelloServer.conf', configContent: 'pod=1', podSeq: '1' });
    await create('s2', { configName: 'HelloServer.conf', configContent: 'pod=2', podSeq: '2' });
    await create('bad', { configName: 'broken.conf', configContent: '<a>\n<b>\n</a>' });
    await create('limited', { configName: 'limited.conf', configContent: 'x' });
    await create('app', { server: '', configName: 'app.conf', configContent: 'shared=1' });
    await create('app2', { server: '', configName: 'app2.conf', configContent: 'shared=2' });
    // the test process connects from 127.0.0.1: it is pod 1
    await cluster.putPod({ metadata: { name: 'test-helloserver-1' }, spec: { containers: [{ name: 'main' }] }, status: { podIP: '127.0.0.1' } });
    service = await startConfigService({ cluster, logger: silentLogger, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000', rateLimit: { limit: 2, intervalMs: 60_000 } });
    comm = new Communicator({ logger: silentLogger });
    proxy = comm.stringToProxy(ConfigF.ConfigProxy, `${CONFIG_OBJ}@${service.endpoint}`);
  });

  afterAll(async () => {
    await comm?.close();
    await service?.stop();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists activated master-level names per level', async () => {
    expect(await proxy.ListConfig('Test', 'HelloServer')).toEqual({ ret: 0, vf: ['HelloServer.conf', 'broken.conf', 'limited.conf'] });
    expect(await proxy.ListConfig('Test', '')).toEqual({ ret: 0, vf: ['app.conf', 'app2.conf'] });
    expect(await proxy.ListConfigByInfo(info({ bAppOnly: true }))).toEqual({ ret: 0, vf: ['app.conf', 'app2.conf'] });
    expect(await proxy.ListAllConfigByInfo(ConfigF.GetConfigListInfo.create({ appname: 'Test', servername: 'HelloServer', bAppOnly: true }))).toEqual({ ret: 0, vf: ['app.conf', 'app2.conf'] });
    expect(await proxy.ListAllConfigByInfo(ConfigF.GetConfigListInfo.create({ appname: 'Test', servername: 'HelloServer' }))).toEqual({ ret: 0, vf: ['HelloServer.conf', 'broken.conf', 'limited.conf'] });
    expect(await proxy.ListConfig('No', 'Such')).toEqual({ ret: 0, vf: [] });
    expect(await proxy.ListConfig('../x', '')).toEqual({ ret: 0, vf: [] });
  });

  it('merges master and the pod override of the caller, by peer IP or named host', async () => {
    expect(await proxy.loadConfig('Test', 'HelloServer', 'HelloServer.conf')).toEqual({ ret: 0, config: `${M}\r\n\r\npod=1` });
    expect(await proxy.loadConfigByHost('Test.HelloServer', 'HelloServer.conf', 'test-helloserver-2')).toEqual({ ret: 0, config: `${M}\r\n\r\npod=2` });
    expect(await proxy.loadConfigByHost('Test.HelloServer', 'HelloServer.conf', 'test-helloserver-2.test-helloserver')).toEqual({ ret: 0, config: `${M}\r\n\r\npod=2` });
    expect(await proxy.loadConfigByHost('Test.HelloServer', 'HelloServer.conf', '10.9.9.9')).toEqual({ ret: 0, config: M });
    expect(await proxy.loadConfigByInfo(info({ filename: 'HelloServer.conf', host: 'test-helloserver-2' }))).toEqual({ ret: 0, config: `${M}\r\n\r\npod=2` });
    expect(await proxy.loadConfigByInfo(info({ filename: 'HelloServer.conf' }))).toEqual({ ret: 0, config: `${M}\r\n\r\npod=1` });
    expect(await proxy.loadConfigByInfo(info({ filename: 'app.conf', bAppOnly: true }))).toEqual({ ret: 0, config: 'shared=1' });
    expect(await proxy.loadConfig('Test', '', 'app.conf')).toEqual({ ret: 0, config: 'shared=1' });
    expect(await proxy.loadConfigByHost('Test', 'app.conf', '')).toEqual({ ret: 0, config: 'shared=1' });
    // TUP (iVersion 3) as the JS clients may send
    expect(await proxy.loadConfigByInfo(info({ filename: 'app.conf', bAppOnly: true }), { version: 3 })).toEqual({ ret: 0, config: 'shared=1' });
  });

  it('checks configs by parsing them', async () => {
    expect(await proxy.checkConfig('Test.HelloServer', 'HelloServer.conf', 'test-helloserver-9')).toEqual({ ret: 0, result: M });
    const bad = await proxy.checkConfigByInfo(info({ filename: 'broken.conf' }));
    expect(bad.ret).toBe(-1);
    expect(bad.result).toMatch(/line|match|close/i);
    expect((await proxy.checkConfig('Test.HelloServer', 'nope.conf', '')).ret).toBe(-1);
  });

  it('answers clearly for missing configs and refuses bad names', async () => {
    const missing = await proxy.loadConfig('Test', 'HelloServer', 'nope.conf');
    expect(missing).toEqual({ ret: -1, config: 'config "nope.conf" of Test.HelloServer does not exist or is not activated' });
    for (const name of ['../HelloServer.conf', 'a/b', 'a\\b', '.conf', '', 'x'.repeat(1000)]) {
      const r = await proxy.loadConfigByInfo(info({ filename: name }));
      expect(r.ret).toBe(-1);
      expect(r.config).toMatch(/^invalid config name/);
    }
    expect((await proxy.loadConfig('Te/st', 'HelloServer', 'HelloServer.conf')).config).toMatch(/invalid app name/);
    expect((await proxy.loadConfigByHost('a.b.c', 'x.conf', '')).config).toMatch(/invalid appServerName/);
  });

  it('answers 429 past the load limit of one caller and file', async () => {
    const rets: number[] = [];
    for (let i = 0; i < 5; i++) rets.push((await proxy.loadConfig('Test', 'HelloServer', 'limited.conf')).ret);
    expect(rets).toEqual([0, 0, 0, RATE_LIMITED, RATE_LIMITED]);
    expect((await proxy.loadConfigByInfo(info({ filename: 'limited.conf' }))).ret).toBe(RATE_LIMITED);
  });

  it('serves a new activated version once the watch delivers it', async () => {
    await cluster.resource('TConfig').patch('app2', { type: 'merge', value: { activated: false } });
    await create('app2-v2', { server: '', configName: 'app2.conf', configContent: 'shared=v2' });
    const deadline = Date.now() + 5000;
    let r = await proxy.loadConfig('Test', '', 'app2.conf');
    while (r.config !== 'shared=v2' && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 20));
      r = await proxy.loadConfig('Test', '', 'app2.conf');
    }
    expect(r).toEqual({ ret: 0, config: 'shared=v2' });
    await cluster.resource('TConfig').delete('app2-v2');
    for (let i = 0; i < 250 && (await proxy.ListConfig('Test', '')).vf.includes('app2.conf'); i++) await new Promise((res) => setTimeout(res, 20));
    expect((await proxy.ListConfig('Test', '')).vf).toEqual(['app.conf']);
  });
});
