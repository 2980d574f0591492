import { describe, expect, it } from 'vitest';
import { parseArgs, parseServant, registryLocator, UsageError, type RunArgs } from './args.ts';

describe('parseArgs', () => {
  it('parses run with defaults', () => {
    const a = parseArgs(['run', '--app', 'Demo', '--server', 'Hello', '--', 'node', 'server.js', '--flag']) as RunArgs;
    expect(a).toMatchObject({
      mode: 'run', app: 'Demo', server: 'Hello', command: 'node', args: ['server.js', '--flag'], locator: undefined,
      nodeEndpoint: 'tcp -h 127.0.0.1 -p 19386 -t 60000', servants: [], dir: '.tarsnode/Demo.Hello', listenAddress: '127.0.0.1',
      configArg: true, notify: true, heartbeat: true, logLevel: 'INFO',
    });
  });

  it('parses every run option, in both --flag value and --flag=value forms', () => {
    const a = parseArgs([
      'run', '--app=Demo', '--server', 'Hello', '--registry', '10.0.0.5', '--registry-obj', 'tars.tarsregistry.RegistryObj@tcp -h 10.0.0.5 -p 17891',
      '--node-endpoint=tcp -h 127.0.0.1 -p 0', '--nodeobj-endpoint', 'tcp -h 127.0.0.1 -p 19385', '--servant', 'HelloObj:8080', '--servant', 'RawObj:9000/not_tars',
      '--profile', 'p.conf', '--dir', '/tmp/d', '--local', 'tcp -h 127.0.0.1 -p 20001', '--listen-address', '10.1.1.1', '--pod-name', 'demo-hello-0',
      '--stdout', 'out.log', '--exits', 'exits.jsonl', '--no-config-arg', '--no-notify', '--no-heartbeat', '--log-level', 'DEBUG', '--', './HelloServer',
    ]) as RunArgs;
    expect(a).toMatchObject({
      locator: 'tars.tarsregistry.QueryObj@tcp -h 10.0.0.5 -p 17890', registryObj: 'tars.tarsregistry.RegistryObj@tcp -h 10.0.0.5 -p 17891',
      nodeEndpoint: 'tcp -h 127.0.0.1 -p 0', nodeObjEndpoint: 'tcp -h 127.0.0.1 -p 19385', profileFile: 'p.conf', dir: '/tmp/d',
      local: 'tcp -h 127.0.0.1 -p 20001', listenAddress: '10.1.1.1', podName: 'demo-hello-0', stdoutFile: 'out.log', exitsFile: 'exits.jsonl',
      configArg: false, notify: false, heartbeat: false, logLevel: 'DEBUG', command: './HelloServer', args: [],
    });
    expect(a.servants).toEqual([{ name: 'HelloObj', port: 8080, tcp: true, tars: true }, { name: 'RawObj', port: 9000, tcp: true, tars: false }]);
  });

  it('parses pod mode, also as upstream invokes it', () => {
    expect(parseArgs(['pod'])).toEqual({ mode: 'pod', logLevel: 'INFO' });
    expect(parseArgs(['--config=/usr/local/app/tars/tarsnode/conf/tarsnode.conf'])).toEqual({ mode: 'pod', configFile: '/usr/local/app/tars/tarsnode/conf/tarsnode.conf', logLevel: 'INFO' });
    expect(parseArgs(['pod', '--config', 'x.conf', '--log-level', 'WARN'])).toEqual({ mode: 'pod', configFile: 'x.conf', logLevel: 'WARN' });
    expect(parseArgs(['--target=config', '--outfile=/tmp/argvs'])).toEqual({ mode: 'pod', target: 'config', outfile: '/tmp/argvs', logLevel: 'INFO' });
    expect(parseArgs(['pod', '--target=daemon'])).toEqual({ mode: 'pod', target: 'daemon', logLevel: 'INFO' });
  });

  it('shows help without arguments', () => {
    expect(parseArgs([])).toEqual({ mode: 'help' });
    expect(parseArgs(['--help'])).toEqual({ mode: 'help' });
  });

  const bad: Array<[string[], RegExp]> = [
    [['start'], /unknown command "start"/],
    [['run', '--app', 'A', '--server', 'S'], /give the server command after "--"/],
    [['run', '--app', 'A', '--server', 'S', '--'], /give the server command after "--"/],
    [['run', '--app', 'A', '--', 'x'], /--app and --server are required/],
    [['run', '--app', 'A/B', '--server', 'S', '--', 'x'], /--app "A\/B" may only contain/],
    [['run', '--app', 'A', '--app', 'B', '--server', 'S', '--', 'x'], /--app given 2 times/],
    [['run', '--app', 'A', '--server', 'S', '--bogus', '--', 'x'], /unknown option --bogus/],
    [['run', '--app', '--server', 'S', '--', 'x'], /--app needs a value/],
    [['run', '--app', 'A', '--server', 'S', 'stray', '--', 'x'], /unexpected argument "stray"/],
    [['run', '--app', 'A', '--server', 'S', '--no-notify=1', '--', 'x'], /--no-notify takes no value/],
    [['pod', '--app', 'A'], /pod: unknown option --app/],
    [['pod', '--target=run'], /--target must be config or daemon/],
    [['pod', '--target=config'], /--target=config needs --outfile/],
    [['pod', '--outfile=x'], /--outfile goes with --target=config/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')}`, () => {
      expect(() => parseArgs(argv)).toThrow(UsageError);
      expect(() => parseArgs(argv)).toThrow(message);
    });
  }
});

describe('registryLocator and parseServant', () => {
  it('turns HOST[:PORT] into a QueryObj locator and keeps proxy strings', () => {
    expect(registryLocator('localhost')).toBe('tars.tarsregistry.QueryObj@tcp -h localhost -p 17890');
    expect(registryLocator('10.0.0.1:27890')).toBe('tars.tarsregistry.QueryObj@tcp -h 10.0.0.1 -p 27890');
    expect(registryLocator('tars.tarsregistry.QueryObj@tcp -h h -p 1')).toBe('tars.tarsregistry.QueryObj@tcp -h h -p 1');
    expect(() => registryLocator('tcp -h h -p 1')).toThrow(/neither a locator/);
  });

  it('parses servants and rejects bad ones', () => {
    expect(parseServant('HelloObj:8080/udp')).toEqual({ name: 'HelloObj', port: 8080, tcp: false, tars: true });
    expect(() => parseServant('HelloObj')).toThrow(/must look like HelloObj:8080/);
    expect(() => parseServant('HelloObj:0')).toThrow(/out of range/);
    expect(() => parseServant('HelloObj:70000')).toThrow(/out of range/);
    expect(() => parseServant('NodeObj:19385')).toThrow(/reserved/);
  });
});
