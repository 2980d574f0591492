import { describe, expect, it } from 'vitest';
import { ServiceLogger } from '../logging/logger.ts';
import { AdminCommands, registerBuiltinCommands, splitCommand } from './commands.ts';

function withBuiltins() {
  const logger = new ServiceLogger({ level: 'INFO' });
  const commands = new AdminCommands();
  registerBuiltinCommands(commands, {
    setLogLevel: (level) => logger.setLevel(level),
    status: () => ({ app: 'Test', server: 'HelloServer', pid: 42, logLevel: logger.level, missing: undefined }),
    connections: () => '[adapter:Test.HelloServer.HelloObjAdapter] [connections:2]',
    version: '1.2.3',
  });
  return { logger, commands };
}

describe('splitCommand', () => {
  it('splits at the first whitespace and trims', () => {
    expect(splitCommand('  tars.setloglevel   DEBUG ')).toEqual({ name: 'tars.setloglevel', params: 'DEBUG' });
    expect(splitCommand('cmd a b  c')).toEqual({ name: 'cmd', params: 'a b  c' });
    expect(splitCommand('cmd\tx')).toEqual({ name: 'cmd', params: 'x' });
    expect(splitCommand('tars.help')).toEqual({ name: 'tars.help', params: '' });
    expect(splitCommand('')).toEqual({ name: '', params: '' });
  });
});

describe('AdminCommands', () => {
  it('dispatches to registered commands with their parameters, sync or async', async () => {
    const commands = new AdminCommands();
    commands.register('app.echo', (p) => `echo:${p}`);
    commands.register('app.later', async (p) => `later:${p.toUpperCase()}`);
    expect(await commands.dispatch('app.echo hello world')).toBe('echo:hello world');
    expect(await commands.dispatch('app.later x')).toBe('later:X');
  });

  it('answers unknown commands and handler errors as text', async () => {
    const commands = new AdminCommands();
    commands.register('app.fail', () => {
      throw new Error('disk full');
    });
    expect(await commands.dispatch('app.nope 1')).toBe('unknown command "app.nope"; tars.help lists the commands');
    expect(await commands.dispatch('app.fail')).toBe('command app.fail failed: disk full');
  });

  it('refuses bad or duplicate names and unregisters', async () => {
    const commands = new AdminCommands();
    commands.register('a.b', () => 'x');
    expect(() => commands.register('a.b', () => 'y')).toThrow('already registered');
    expect(() => commands.register('a b', () => 'y')).toThrow('invalid admin command name');
    expect(() => commands.register('', () => 'y')).toThrow('invalid admin command name');
    expect(commands.unregister('a.b')).toBe(true);
    expect(commands.has('a.b')).toBe(false);
    expect(await commands.dispatch('a.b')).toContain('unknown command');
  });
});

describe('built-in commands', () => {
  it('tars.setloglevel changes the logger level and rejects unknown levels', async () => {
    const { logger, commands } = withBuiltins();
    expect(await commands.dispatch('tars.setloglevel debug')).toBe('set log level [DEBUG] ok');
    expect(logger.level).toBe('DEBUG');
    expect(await commands.dispatch('tars.setloglevel LOUD')).toBe('set log level [LOUD] error: expected NONE, ERROR, WARN, INFO or DEBUG');
    expect(await commands.dispatch('tars.setloglevel')).toContain('error');
    expect(logger.level).toBe('DEBUG');
  });

  it('tars.viewstatus, tars.connection, tars.viewversion and tars.help', async () => {
    const { commands } = withBuiltins();
    commands.register('app.reload', () => 'ok', 'reload the routing table');
    expect(await commands.dispatch('tars.viewstatus')).toBe('app: Test\nserver: HelloServer\npid: 42\nlogLevel: INFO');
    expect(await commands.dispatch('tars.connection')).toBe('[adapter:Test.HelloServer.HelloObjAdapter] [connections:2]');
    expect(await commands.dispatch('tars.viewversion')).toBe('1.2.3');
    expect((await commands.dispatch('tars.help')).split('\n')).toEqual([
      'app.reload - reload the routing table',
      'tars.connection - show adapters and their connections',
      'tars.help - list the admin commands',
      'tars.setloglevel - LEVEL: change the log level (NONE, ERROR, WARN, INFO, DEBUG)',
      'tars.viewstatus - show the service status',
      'tars.viewversion - show the service version',
    ]);
  });
});
