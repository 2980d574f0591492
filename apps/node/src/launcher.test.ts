import { TarsConfig } from '@tars-ts/service';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { launchCommand, LauncherError, shellLine, type LaunchInput } from './launcher.ts';

const base: LaunchInput = {
  serverType: 'cpp', serverName: 'HelloServer', binDir: '/b', confFile: '/c/Test.HelloServer.config.conf',
  config: TarsConfig.parse('<tars>\n<application>\n<server>\njvmparams=-Xms512m  -Xmx1g\nclasspath=/b/lib/*\nmainclass=com.qq.test.helloserver.HelloServer\n</server>\n</application>\n</tars>'),
  executables: ['HelloServer', 'helper'],
  nodeAgentBin: '/node-agent/bin/tars-node-agent',
};

describe('launchCommand by ServerType', () => {
  const table: Array<[string, Partial<LaunchInput>, { command: string; args: string[] }]> = [
    ['cpp', {}, { command: '/b/HelloServer', args: ['--config=/c/Test.HelloServer.config.conf'] }],
    ['go with the first *Server', { serverType: 'go', executables: ['zzServer', 'aaServer', 'x'] }, { command: '/b/aaServer', args: ['--config=/c/Test.HelloServer.config.conf'] }],
    ['nodejs-pkg', { serverType: 'nodejs-pkg' }, { command: '/b/HelloServer', args: ['--config=/c/Test.HelloServer.config.conf'] }],
    ['nodejs', { serverType: 'nodejs' }, { command: 'node', args: ['/node-agent/bin/tars-node-agent', '/b/', '-c', '/c/Test.HelloServer.config.conf'] }],
    ['java-war', { serverType: 'java-war' }, { command: 'java', args: ['-Dconfig=/c/Test.HelloServer.config.conf', '-Xms512m', '-Xmx1g', '-cp', '/b/lib/*', 'com.qq.test.helloserver.HelloServer'] }],
    ['java-jar', { serverType: 'java-jar' }, { command: 'java', args: ['-Dconfig=/c/Test.HelloServer.config.conf', '-Xms512m', '-Xmx1g', '-jar', '/b/HelloServer.jar'] }],
  ];
  for (const [name, input, expected] of table) {
    it(name, () => expect(launchCommand({ ...base, ...input })).toMatchObject(expected));
  }

  it('sets LD_LIBRARY_PATH for native servers', () => {
    expect(launchCommand(base).env).toEqual({ LD_LIBRARY_PATH: '/b:/b/lib' });
  });

  const bad: Array<[string, Partial<LaunchInput>, RegExp]> = [
    ['no executable', { executables: ['helper'] }, /no executable HelloServer \(or \*Server\) in \/b/],
    ['nodejs without the agent', { serverType: 'nodejs', nodeAgentBin: undefined }, /NODE_AGENT_BIN/],
    ['java-war without mainclass', { serverType: 'java-war', config: TarsConfig.parse('') }, /mainclass/],
    ['an unknown type', { serverType: 'php' }, /unknown ServerType "php"/],
  ];
  for (const [name, input, message] of bad) {
    it(`fails clearly on ${name}`, () => {
      expect(() => launchCommand({ ...base, ...input })).toThrow(LauncherError);
      expect(() => launchCommand({ ...base, ...input })).toThrow(message);
    });
  }
});

describe('shellLine (foreground launcher)', () => {
  it('quotes so that sh runs exactly the command and arguments', () => {
    const line = shellLine({
      command: process.execPath,
      args: ['-e', 'console.log(JSON.stringify([process.argv.slice(1), process.env.LD_LIBRARY_PATH]))', "it's", 'a b', '$HOME', '`x`'],
      env: { LD_LIBRARY_PATH: "/b:/b/lib's" },
    });
    const out = execFileSync('sh', ['-c', line], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([["it's", 'a b', '$HOME', '`x`'], "/b:/b/lib's"]);
  });
});
