import { describe, expect, it } from 'vitest';
import { appServerProblem, configNameProblem, splitAppServer } from './names.ts';

describe('config names', () => {
  it.each(['app.conf', 'a', 'A-b_c.1.yaml', 'x'.repeat(63)])('accepts %j', (n) => expect(configNameProblem(n)).toBeUndefined());
  it.each(['', '../etc/passwd', 'a/b.conf', 'a\\b.conf', '.hidden', 'conf.', '/abs', 'a\u0000b', 'x'.repeat(64), 'é.conf', 'a b'])('refuses %j', (n) => {
    expect(configNameProblem(n)).toMatch(/invalid config name/);
  });
  it('checks app and server names', () => {
    expect(appServerProblem('Test', '')).toBeUndefined();
    expect(appServerProblem('Test', 'HelloServer')).toBeUndefined();
    expect(appServerProblem('', 'x')).toMatch(/app/);
    expect(appServerProblem('Test', 'a-b')).toMatch(/server/);
  });
  it('splits App.Server', () => {
    expect(splitAppServer('Test')).toEqual(['Test', '']);
    expect(splitAppServer('Test.HelloServer')).toEqual(['Test', 'HelloServer']);
    expect(splitAppServer('a.b.c')).toBeUndefined();
  });
});
