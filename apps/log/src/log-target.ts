/**
 * Where a remote log call writes, exactly as upstream LogImp names it (framework-services.md
 * §6.2), and the refusal of any name that is not a plain path component. Pure: the caller gives
 * the time and the zone.
 *
 *   logger:       <logpath>/<app>/<server>/<app>.<server>[_<file>]_<strftime(format)>.log
 *   loggerbyInfo: <logpath>/<app>/[<set>/]<server>/<realName><concat><time>[.log]
 *                 realName = bHasAppNamePrefix ? app.server[<concat><file>] : file
 */
import type { LogF } from '@tars-ts/interfaces';
import { checkPathComponent, setDirectoryName } from './log-names.ts';
import type { LogRules } from './log-rules.ts';
import { parseLogType, periodStart } from './log-type.ts';
import { strftime } from './strftime.ts';

export interface LogTarget {
  /** Directories under the log root, each a checked path component. */
  dirs: string[];
  /** File name, a checked path component. */
  file: string;
}

export const HOURLY_FORMAT = '%Y%m%d%H';

export interface TimeContext {
  nowMs: number;
  utcOffsetMinutes: number;
}

export function loggerTarget(app: string, server: string, file: string, format: string, rules: LogRules, t: TimeContext): LogTarget {
  checkPathComponent('app', app);
  checkPathComponent('server', server);
  const fmt = rules.hourly.has(`${app}.${server}`) ? HOURLY_FORMAT : format;
  const logname = file === '' ? `${app}.${server}` : `${app}.${server}_${file}`;
  const name = `${logname}_${strftime(fmt, t.nowMs, t.utcOffsetMinutes)}.log`;
  return { dirs: [app, server], file: checkPathComponent('log file name', name) };
}

export function loggerByInfoTarget(info: LogF.LogInfo, rules: LogRules, t: TimeContext): LogTarget {
  const { appname: app, servername: server } = info;
  checkPathComponent('appname', app);
  checkPathComponent('servername', server);
  const set = setDirectoryName(info.setdivision);
  if (set !== '') checkPathComponent('set of setdivision', set);

  const realName = info.bHasAppNamePrefix ? (info.sFilename === '' ? `${app}.${server}` : `${app}.${server}${info.sConcatStr}${info.sFilename}`) : info.sFilename;

  const format = rules.hourly.has(`${app}.${server}`) ? HOURLY_FORMAT : info.sFormat;
  // The server's log type setting wins, and then names use the type's own format.
  const forced = rules.logTypes.get(`${app}.${server}.${info.sFilename}`);
  const type = parseLogType(forced ?? info.sLogType);
  const typeFormat = forced !== undefined ? '' : format;
  const label = type
    ? strftime(typeFormat || type.defaultFormat, periodStart(type, t.nowMs, t.utcOffsetMinutes), t.utcOffsetMinutes)
    : strftime(format, t.nowMs, t.utcOffsetMinutes);
  const name = `${realName}${info.sConcatStr}${label}${info.bHasSufix ? '.log' : ''}`;
  return { dirs: set === '' ? [app, server] : [app, set, server], file: checkPathComponent('log file name', name) };
}
