import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureHostsEntries, linkServerPackage, podEnvironment, PodEnvironmentError } from './pod-setup.ts';
import { readNodeConf } from './cli.ts';
import { TarsConfig } from '@tars-ts/service';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'tarsnode-pod-'));
  dirs.push(d);
  return d;
}

describe('podEnvironment', () => {
  it('derives the upstream paths and ListenAddress', () => {
    expect(podEnvironment({ ServerApp: 'Test', ServerName: 'HelloServer', PodName: 'test-helloserver-0', PodIP: '10.1.2.3' })).toEqual({
      app: 'Test', server: 'HelloServer', podName: 'test-helloserver-0', podIp: '10.1.2.3',
      listenAddress: 'test-helloserver-0.test-helloserver',
      baseDir: '/usr/local/app/tars/tarsnode/data/Test.HelloServer',
      binDir: '/usr/local/app/tars/tarsnode/data/Test.HelloServer/bin',
      dataDir: '/usr/local/app/tars/tarsnode/data/Test.HelloServer/data',
      confDir: '/usr/local/app/tars/tarsnode/data/Test.HelloServer/conf',
      logDir: '/usr/local/app/tars/app_log',
      confFile: '/usr/local/app/tars/tarsnode/data/Test.HelloServer/conf/Test.HelloServer.config.conf',
      serverType: 'cpp', launcherType: 'background',
    });
  });

  it('takes the init container variables when present', () => {
    const env = podEnvironment({ ServerApp: 'A', ServerName: 'S', PodName: 'a-s-1', ListenAddress: 'x', ServerBinDir: '/bin2', ServerConfFile: '/c.conf', ServerType: 'go', LauncherType: 'foreground' });
    expect(env).toMatchObject({ listenAddress: 'x', binDir: '/bin2', confFile: '/c.conf', serverType: 'go', launcherType: 'foreground' });
  });

  it('names the missing variables', () => {
    expect(() => podEnvironment({ ServerApp: 'A' })).toThrow(PodEnvironmentError);
    expect(() => podEnvironment({ ServerApp: 'A' })).toThrow('ServerName, PodName');
  });
});

describe('readNodeConf', () => {
  it('defaults to the K8S names and ports', () => {
    expect(readNodeConf(undefined, 'a-s-0.a-s')).toEqual({
      locator: 'tars.tarsregistry.QueryObj@tcp -h tars-tarsregistry -p 17890',
      registryObj: 'tars.tarsregistry.RegistryObj@tcp -h tars-tarsregistry -p 17891',
      serverObjEndpoint: 'tcp -h 127.0.0.1 -p 19386 -t 60000',
      nodeObjEndpoint: 'tcp -h a-s-0.a-s -p 19385 -t 60000',
      notifyObj: 'tars.tarsnotify.NotifyObj',
      configObj: 'tars.tarsconfig.ConfigObj',
    });
  });

  it('reads locator, adapters and registryObj from tarsnode.conf', () => {
    const conf = TarsConfig.parse(`<tars>
<application>
<client>
locator=tars.tarsregistry.QueryObj@tcp -h r -p 1
</client>
<server>
<ServerAdapter>
endpoint=tcp -h 127.0.0.1 -p 2
servant=tars.tarsnode.ServerObj
</ServerAdapter>
<NodeAdapter>
endpoint=tcp -h n -p 3
servant=tars.tarsnode.NodeObj
</NodeAdapter>
</server>
</application>
<node>
registryObj=tars.tarsregistry.RegistryObj@tcp -h r -p 4
</node>
</tars>`);
    expect(readNodeConf(conf, 'ignored')).toMatchObject({
      locator: 'tars.tarsregistry.QueryObj@tcp -h r -p 1', serverObjEndpoint: 'tcp -h 127.0.0.1 -p 2', nodeObjEndpoint: 'tcp -h n -p 3',
      registryObj: 'tars.tarsregistry.RegistryObj@tcp -h r -p 4',
    });
  });
});

describe('ensureHostsEntries and linkServerPackage', () => {
  it('appends only the missing names, once', () => {
    const hosts = join(temp(), 'hosts');
    writeFileSync(hosts, '127.0.0.1 localhost\n10.1.2.3 test-helloserver-0 # kubelet');
    expect(ensureHostsEntries(hosts, '10.1.2.3', ['test-helloserver-0', 'test-helloserver-0.test-helloserver'])).toEqual(['test-helloserver-0.test-helloserver']);
    expect(ensureHostsEntries(hosts, '10.1.2.3', ['test-helloserver-0', 'test-helloserver-0.test-helloserver'])).toEqual([]);
    expect(readFileSync(hosts, 'utf8')).toBe('127.0.0.1 localhost\n10.1.2.3 test-helloserver-0 # kubelet\n10.1.2.3 test-helloserver-0.test-helloserver\n');
  });

  it('links the package directory unless the bin dir exists', () => {
    const d = temp();
    mkdirSync(join(d, 'pkg'));
    expect(linkServerPackage(join(d, 'pkg'), join(d, 'data/A.S/bin'))).toBe(true);
    expect(readlinkSync(join(d, 'data/A.S/bin'))).toBe(join(d, 'pkg'));
    expect(linkServerPackage(join(d, 'pkg'), join(d, 'data/A.S/bin'))).toBe(false);
    expect(linkServerPackage(join(d, 'missing'), join(d, 'other'))).toBe(false);
  });
});
