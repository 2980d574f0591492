import { describe, expect, it } from 'vitest';
import { levelFromEnum, levelFromText } from './notify-levels.ts';
import { formatNotifyTime, splitServerName } from './notify-record.ts';
import { NotifyRateLimiter, parseNotifyLimit } from './rate-limit.ts';

describe('levels (framework-services §5.2)', () => {
  it('takes the first tag in the fixed order alarm, error, warn, fail', () => {
    expect(levelFromText('[alarm] x')).toBe('[alarm]');
    expect(levelFromText('[warn] then [error]')).toBe('[error]');
    expect(levelFromText('[warn] and [alarm]')).toBe('[alarm]');
    expect(levelFromText('[fail] start')).toBe('[error]');
    expect(levelFromText('[warn]')).toBe('[warn]');
    expect(levelFromText('restart')).toBe('[normal]');
    expect(levelFromText('[ERROR] upper case is not a tag')).toBe('[normal]');
    expect(levelFromText('')).toBe('[normal]');
  });

  it('maps the enum, unknown values to normal', () => {
    expect([0, 1, 2, 3, -1].map(levelFromEnum)).toEqual(['[normal]', '[warn]', '[error]', '[normal]', '[normal]']);
  });
});

describe('records', () => {
  it('splits App.Server like upstream', () => {
    expect(splitServerName('Test.HelloServer')).toEqual({ app: 'Test', server: 'HelloServer' });
    expect(splitServerName('Test.Hello.Extra')).toEqual({ app: 'Test', server: 'Hello' });
    expect(splitServerName('Test')).toEqual({ app: 'Test', server: '' });
    expect(splitServerName('')).toEqual({ app: '', server: '' });
  });

  it('formats %FT%T%z in the given zone', () => {
    const t = Date.UTC(2023, 11, 31, 23, 59, 58);
    expect(formatNotifyTime(t, 480)).toBe('2024-01-01T07:59:58+0800');
    expect(formatNotifyTime(t, 0)).toBe('2023-12-31T23:59:58+0000');
    expect(formatNotifyTime(t, -330)).toBe('2023-12-31T18:29:58-0530');
  });
});

describe('notify_limit', () => {
  it('parses interval:count, defaults and falls back like upstream', () => {
    expect(parseNotifyLimit(undefined)).toEqual({ limit: { intervalMs: 300_000, count: 300 }, malformed: false });
    expect(parseNotifyLimit('60:5')).toEqual({ limit: { intervalMs: 60_000, count: 5 }, malformed: false });
    expect(parseNotifyLimit(' 10 : 0 ')).toEqual({ limit: { intervalMs: 10_000, count: 1 }, malformed: false });
    expect(parseNotifyLimit('10|7')).toEqual({ limit: { intervalMs: 10_000, count: 7 }, malformed: false });
    for (const bad of ['60', '60:', 'a:b', '-1:5', '0:5', '60:5:1']) {
      expect(parseNotifyLimit(bad)).toEqual({ limit: { intervalMs: 300_000, count: 10 }, malformed: true });
    }
  });

  it('lets count messages through per window, per server, and reopens after the interval', () => {
    const l = new NotifyRateLimiter({ intervalMs: 1000, count: 2 });
    expect([l.allow('A.a', 0), l.allow('A.a', 10), l.allow('A.a', 20), l.allow('B.b', 30)]).toEqual([true, true, false, true]);
    // the window started at 0: still closed at 999, open again at 1000
    expect(l.allow('A.a', 999)).toBe(false);
    expect([l.allow('A.a', 1000), l.allow('A.a', 1500), l.allow('A.a', 1999)]).toEqual([true, true, false]);
  });

  it('forgets servers whose window ended, so the table stays bounded', () => {
    const l = new NotifyRateLimiter({ intervalMs: 1000, count: 1 });
    for (let i = 0; i < 5000; i++) l.allow(`S.s${i}`, 0);
    for (let i = 0; i < 5000; i++) l.allow('Only.one', 5000);
    expect(l.tracked).toBeLessThan(1000);
    expect(l.allow('Only.one', 5001)).toBe(false);
  });
});
