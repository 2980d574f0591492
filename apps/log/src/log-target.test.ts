// File naming rules (framework-services.md §6.2) as pure functions, with the expected names
// written out from the reference, not computed.
import { describe, expect, it } from 'vitest';
import { LogF } from '@tars-ts/interfaces';
import { TarsConfig } from '@tars-ts/service';
import { LogNameError, setDirectoryName } from './log-names.ts';
import { DEFAULT_LOG_RULES, logRulesFromConfig, type LogRules } from './log-rules.ts';
import { loggerByInfoTarget, loggerTarget } from './log-target.ts';
import { parseLogType, periodStart } from './log-type.ts';
import { strftime } from './strftime.ts';

const at = (iso: string, utcOffsetMinutes = 0) => ({ nowMs: Date.parse(iso), utcOffsetMinutes });
const info = (o: Partial<LogF.LogInfo>) => LogF.LogInfo.create({ appname: 'App', servername: 'Srv', sFormat: '%Y%m%d', ...o });
const path = (t: { dirs: string[]; file: string }) => [...t.dirs, t.file].join('/');

describe('strftime', () => {
  it('formats the conversions log names use, in the given zone', () => {
    const t = Date.parse('2024-03-05T07:08:09Z');
    expect(strftime('%Y%m%d%H%M', t, 0)).toBe('202403050708');
    expect(strftime('%Y%m%d%H%M', t, 480)).toBe('202403051508');
    expect(strftime('%Y%m%d', t, -480)).toBe('20240304');
    expect(strftime('%F %T %z', t, 330)).toBe('2024-03-05 12:38:09 +0530');
    expect(strftime('%y|%j|%e|%I%p|%a %b|%%|%q|100%', t, 0)).toBe('24|065| 5|07AM|Tue Mar|%|%q|100%');
    expect(strftime('', t, 0)).toBe('');
  });
});

describe('log types', () => {
  it('reads day/hour/minute with an optional period, like getLogType', () => {
    expect(parseLogType('day')).toMatchObject({ unit: 'day', every: 1, defaultFormat: '%Y%m%d' });
    expect(parseLogType('1DAY')).toMatchObject({ unit: 'day', every: 1 });
    expect(parseLogType('2hour')).toMatchObject({ unit: 'hour', every: 2, periodMs: 7_200_000, defaultFormat: '%Y%m%d%H' });
    expect(parseLogType('minute')).toMatchObject({ unit: 'minute', every: 10, defaultFormat: '%Y%m%d%H%M' });
    expect(parseLogType('5minute')).toMatchObject({ unit: 'minute', every: 5 });
    expect(parseLogType('x2hour')).toMatchObject({ unit: 'hour', every: 1 });
    expect(parseLogType('0day')).toMatchObject({ unit: 'day', every: 1 });
    expect(parseLogType('')).toBeUndefined();
    expect(parseLogType('weekly')).toBeUndefined();
  });

  it('starts periods on local boundaries', () => {
    const twoHours = parseLogType('2hour')!;
    expect(new Date(periodStart(twoHours, Date.parse('2024-01-01T03:59:59Z'), 0)).toISOString()).toBe('2024-01-01T02:00:00.000Z');
    const day = parseLogType('day')!;
    // 05:00 at UTC+8 is still the local day 2024-01-01 (upstream would have said 2023-12-31)
    expect(strftime('%Y%m%d', periodStart(day, Date.parse('2023-12-31T21:00:00Z'), 480), 480)).toBe('20240101');
  });
});

describe('logger target', () => {
  it('names <app>/<server>/<app>.<server>[_<file>]_<time>.log', () => {
    expect(path(loggerTarget('App', 'Srv', '', '%Y%m%d', DEFAULT_LOG_RULES, at('2024-01-01T10:00:00Z')))).toBe('App/Srv/App.Srv_20240101.log');
    expect(path(loggerTarget('tars_dyeing', 'dyeing', 'roll', '%Y%m%d%H', DEFAULT_LOG_RULES, at('2024-01-01T10:00:00Z')))).toBe('tars_dyeing/dyeing/tars_dyeing.dyeing_roll_2024010110.log');
    // an empty format gives an empty time, as TC_RollByTime does
    expect(path(loggerTarget('App', 'Srv', 'f', '', DEFAULT_LOG_RULES, at('2024-01-01T10:00:00Z')))).toBe('App/Srv/App.Srv_f_.log');
  });

  it('the hour list forces %Y%m%d%H', () => {
    const rules: LogRules = { ...DEFAULT_LOG_RULES, hourly: new Set(['App.Srv']) };
    expect(loggerTarget('App', 'Srv', '', '%Y%m%d', rules, at('2024-01-01T10:00:00Z')).file).toBe('App.Srv_2024010110.log');
    expect(loggerTarget('App', 'Other', '', '%Y%m%d', rules, at('2024-01-01T10:00:00Z')).file).toBe('App.Other_20240101.log');
  });
});

describe('loggerbyInfo target', () => {
  it('applies the hour list and then the server log type override (which drops sFormat)', () => {
    const rules: LogRules = { ...DEFAULT_LOG_RULES, hourly: new Set(['App.Srv']), logTypes: new Map([['App.Srv.forced', '10minute']]) };
    expect(loggerByInfoTarget(info({ sFilename: 'plain' }), rules, at('2024-01-01T10:27:00Z')).file).toBe('App.Srv_plain_2024010110.log');
    expect(loggerByInfoTarget(info({ sFilename: 'forced', sFormat: '%Y', sLogType: 'day' }), rules, at('2024-01-01T10:27:00Z')).file).toBe('App.Srv_forced_202401011020.log');
    // a forced type that does not parse keeps the client's time label
    const odd: LogRules = { ...DEFAULT_LOG_RULES, logTypes: new Map([['App.Srv.odd', 'weekly']]) };
    expect(loggerByInfoTarget(info({ sFilename: 'odd' }), odd, at('2024-01-01T10:27:00Z')).file).toBe('App.Srv_odd_20240101.log');
  });

  it('puts the set between app and server: a.b.c → abc, a.b.* → ab, else none', () => {
    expect(setDirectoryName('sz.a.1')).toBe('sza1');
    expect(setDirectoryName('sz.a.*')).toBe('sza');
    expect(setDirectoryName('sz.a')).toBe('');
    expect(setDirectoryName('')).toBe('');
    expect(setDirectoryName('a.b.c.d')).toBe('');
    expect(loggerByInfoTarget(info({ setdivision: 'sz.a.1' }), DEFAULT_LOG_RULES, at('2024-01-01T00:00:00Z')).dirs).toEqual(['App', 'sza1', 'Srv']);
  });

  it('refuses names that are not plain path components with LogNameError', () => {
    const t = at('2024-01-01T00:00:00Z');
    expect(() => loggerByInfoTarget(info({ appname: '..' }), DEFAULT_LOG_RULES, t)).toThrow(LogNameError);
    expect(() => loggerByInfoTarget(info({ sFilename: 'a/b' }), DEFAULT_LOG_RULES, t)).toThrow(/log file name "App.Srv_a\/b_20240101.log" contains "\/"/);
    expect(() => loggerTarget('App', 'S\0', '', '%Y', DEFAULT_LOG_RULES, t)).toThrow(/server "S\\u0000" contains a NUL/);
    // dots inside a name are fine: only "." and ".." are special
    expect(loggerByInfoTarget(info({ sFilename: '..hidden..' }), DEFAULT_LOG_RULES, t).file).toBe('App.Srv_..hidden.._20240101.log');
  });
});

describe('config rules', () => {
  it('reads the hour list, log types and ipfix like LogServer::loadLogFormat', () => {
    const config = TarsConfig.parse(
      '<tars>\n<log>\nlogpath=/x\nipfix=FALSE\n<format>\nhour=A.a|B.b;C.c,D.d\n</format>\n<logtype>\n2hour=A.a.f1|B.b.\nminute=C.c.x\n</logtype>\n</log>\n</tars>\n',
      'tarslog.conf',
    );
    const rules = logRulesFromConfig(config);
    expect([...rules.hourly].sort()).toEqual(['A.a', 'B.b', 'C.c', 'D.d']);
    expect([...rules.logTypes].sort()).toEqual([['A.a.f1', '2hour'], ['B.b.', '2hour'], ['C.c.x', 'minute']]);
    expect(rules.ipPrefix).toBe(false);
    expect(logRulesFromConfig(TarsConfig.parse('<tars>\n</tars>\n', 'empty')).ipPrefix).toBe(true);
  });
});
