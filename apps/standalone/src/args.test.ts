import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.ts';

describe('command line', () => {
  it('defaults to start with the documented folders, base and host', () => {
    expect(parseArgs([], {}, '/elsewhere', '/repo')).toEqual({
      command: 'start', dataDir: '/repo/.standalone-data', manifestsDir: '/repo/manifests', portBase: 10_000, host: '127.0.0.1', servers: true, logLevel: 'INFO',
    });
  });

  it('takes flags over the environment', () => {
    const env = { TARS_PORT_BASE: '30000', TARS_DATA_DIR: 'envdata', TARS_MANIFESTS: '/m' };
    expect(parseArgs([], env, '/repo')).toMatchObject({ portBase: 30_000, dataDir: '/repo/envdata', manifestsDir: '/m' });
    expect(parseArgs(['--port-base', '24000', '--data-dir', '/d', '--no-servers', '--log-level', 'debug'], env, '/repo')).toMatchObject({
      portBase: 24_000, dataDir: '/d', servers: false, logLevel: 'DEBUG',
    });
  });

  it('parses call-demo and help', () => {
    expect(parseArgs(['call-demo', 'Ann', '--port-base', '24000'], {})).toEqual({ command: 'call-demo', name: 'Ann', portBase: 24_000, host: '127.0.0.1' });
    expect(parseArgs(['--help'], {})).toEqual({ command: 'help' });
  });

  it('rejects what it does not know, saying what', () => {
    expect(() => parseArgs(['--bogus'], {})).toThrow(UsageError);
    expect(() => parseArgs(['serve'], {})).toThrow(/unknown command "serve"/);
    expect(() => parseArgs(['--port-base', '12'], {})).toThrow(/port base "12"/);
    expect(() => parseArgs([], { TARS_PORT_BASE: 'x' })).toThrow(/port base "x"/);
  });
});
