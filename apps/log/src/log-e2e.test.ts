// End to end over real sockets and real files: the official @tars/winston-tars TarsRemote
// transport (winston 2, from tools/interop-peers) and our generated LogProxy against LogObj.
// The files must hold exactly the lines sent, under the names upstream LogImp uses; names that
// would leave the log directory are refused while the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Communicator, ServerError, silentLogger } from '@tars-ts/rpc';
import { LogF } from '@tars-ts/interfaces';
import { startLogService, type RunningLogService } from './log-service.ts';

const peers = createRequire(resolve(import.meta.dirname, '../../../tools/interop-peers/package.json'));

// 2024-01-01 10:03:04 at UTC+8, the zone the service is told to use
const T0 = Date.UTC(2024, 0, 1, 2, 3, 4);

function linesOf(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split(/(?<=\n)/) : [];
}

async function eventuallyLines(path: string, n: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = linesOf(path);
    if (lines.length >= n || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('LogObj end to end', () => {
  let dir: string;
  let root: string;
  let svc: RunningLogService;
  let comm: Communicator;
  let log: LogF.LogProxy;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'log-e2e-'));
    root = join(dir, 'remote_app_log');
    mkdirSync(join(dir, 'outside'));
    svc = await startLogService({ logPath: root, logger: silentLogger, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000', clock: () => T0, utcOffsetMinutes: 480 });
    comm = new Communicator({ timeout: 5000 });
    log = comm.stringToProxy(LogF.LogProxy, svc.proxyString);
  });

  afterAll(async () => {
    await comm?.close();
    await svc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('winston-tars TarsRemote: the day/hour/minute files hold exactly the lines logged', async () => {
    const winston = peers('winston');
    const { TarsRemote } = peers('@tars/winston-tars');
    const Config = peers('@tars/utils').Config;
    const tarsConfig = new Config();
    tarsConfig.parseText('<tars>\n<application>\n<server>\napp=Test\nserver=HelloServer\n</server>\n</application>\n</tars>\n');
    const common = { tarsConfig, tarsLogServant: svc.proxyString, interval: 20 };
    const exact = (o: { level: string; message: string }) => `${o.level.toUpperCase()}|${o.message}`;
    const transports = [
      new TarsRemote({ ...common, filename: 'detail' }),
      new TarsRemote({ ...common, filename: 'hourly', format: TarsRemote.FORMAT.LogByHour, formatter: exact }),
      new TarsRemote({ ...common, filename: 'tenmin', format: TarsRemote.FORMAT.LogByMinute, formatter: exact, separ: '#', concatStr: '-', hasSufix: false }),
    ];
    const loggers = transports.map((t) => new winston.Logger({ transports: [t] }));
    try {
      loggers[0].info('first line');
      loggers[0].error('second | with a bar');
      for (let i = 0; i < 300; i++) loggers[1].info(`hour ${i}`);
      loggers[2].warn('ten minutes');

      const detail = await eventuallyLines(join(root, 'Test/HelloServer/Test.HelloServer_detail_20240101.log'), 2);
      expect(detail).toHaveLength(2);
      expect(detail[0]).toMatch(new RegExp(`^127\\.0\\.0\\.1\\|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\|${process.pid}\\|INFO\\|first line\\n$`));
      expect(detail[1]).toMatch(new RegExp(`^127\\.0\\.0\\.1\\|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\|${process.pid}\\|ERROR\\|second \\| with a bar\\n$`));

      const hourly = await eventuallyLines(join(root, 'Test/HelloServer/Test.HelloServer_hourly_2024010110.log'), 300);
      expect(hourly).toEqual(Array.from({ length: 300 }, (_, i) => `127.0.0.1|INFO|hour ${i}\n`));

      // LogByMinute: 10-minute files named %Y%m%d%H%M at the period start; own separator, concat, no suffix
      const tenmin = await eventuallyLines(join(root, 'Test/HelloServer/Test.HelloServer-tenmin-202401011000'), 1);
      expect(tenmin).toEqual(['127.0.0.1#WARN|ten minutes\n']);
      expect(tree(root)).toEqual([
        'Test/HelloServer/Test.HelloServer-tenmin-202401011000',
        'Test/HelloServer/Test.HelloServer_detail_20240101.log',
        'Test/HelloServer/Test.HelloServer_hourly_2024010110.log',
      ]);
    } finally {
      for (const t of transports) {
        try {
          t.close();
        } catch {
          // winston-tars 2.1.3 close() calls a disconnect() its LogProxy lacks (after clearing its timer)
        }
      }
      peers('@tars/rpc').client.disconnect();
    }
  });

  it('logger: dyeing logs go to tars_dyeing/dyeing with the node name from the context', async () => {
    await log.logger('tars_dyeing', 'dyeing', '', '%Y%m%d', ['Test.HelloServer|dyed one\n', 'Test.HelloServer|dyed two\n']);
    await log.logger('tars_dyeing', 'dyeing', 'roll', '%Y%m%d', ['Test.HelloServer|rolled\n'], { context: { node_name: 'node-7' } });
    expect(linesOf(join(root, 'tars_dyeing/dyeing/tars_dyeing.dyeing_20240101.log'))).toEqual([
      '127.0.0.1|Test.HelloServer|dyed one\n',
      '127.0.0.1|Test.HelloServer|dyed two\n',
    ]);
    expect(linesOf(join(root, 'tars_dyeing/dyeing/tars_dyeing.dyeing_roll_20240101.log'))).toEqual(['node-7|Test.HelloServer|rolled\n']);
  });

  it('loggerbyInfo: prefix, suffix, concat, separator, set and log type flags name the file as upstream', async () => {
    const info = (o: Partial<LogF.LogInfo>) => LogF.LogInfo.create({ appname: 'App', servername: 'Srv', sFormat: '%Y%m%d', ...o });
    const cases: Array<[Partial<LogF.LogInfo>, string, string]> = [
      [{}, 'App/Srv/App.Srv_20240101.log', '127.0.0.1|'],
      [{ sFilename: 'biz' }, 'App/Srv/App.Srv_biz_20240101.log', '127.0.0.1|'],
      [{ sFilename: 'access', bHasAppNamePrefix: false }, 'App/Srv/access_20240101.log', '127.0.0.1|'],
      [{ sFilename: 'raw', bHasSufix: false, sConcatStr: '.', sSepar: ' - ' }, 'App/Srv/App.Srv.raw.20240101', '127.0.0.1 - '],
      [{ sFilename: 'set', setdivision: 'sz.a.1' }, 'App/sza1/Srv/App.Srv_set_20240101.log', '127.0.0.1|'],
      [{ sFilename: 'star', setdivision: 'sz.a.*' }, 'App/sza/Srv/App.Srv_star_20240101.log', '127.0.0.1|'],
      [{ sFilename: 'badset', setdivision: 'sz.a' }, 'App/Srv/App.Srv_badset_20240101.log', '127.0.0.1|'],
      [{ sFilename: 'twohour', sFormat: '', sLogType: '2hour' }, 'App/Srv/App.Srv_twohour_2024010110.log', '127.0.0.1|'],
      [{ sFilename: 'daydash', sFormat: '%Y-%m-%d', sLogType: 'day' }, 'App/Srv/App.Srv_daydash_2024-01-01.log', '127.0.0.1|'],
      [{ sFilename: 'min', sFormat: '', sLogType: '5minute' }, 'App/Srv/App.Srv_min_202401011000.log', '127.0.0.1|'],
    ];
    for (const [o, file, prefix] of cases) {
      const lines = [`line of ${file}\n`, 'no newline at the end'];
      await log.loggerbyInfo(info(o), lines);
      expect(readFileSync(join(root, file), 'utf8'), file).toBe(`${prefix}line of ${file}\n${prefix}no newline at the end`);
    }
  });

  it('answers TUP (iVersion 3) calls too', async () => {
    await log.loggerbyInfo(LogF.LogInfo.create({ appname: 'Tup', servername: 'Srv', sFilename: 'v3', sFormat: '%Y%m%d' }), ['over tup\n'], { version: 3 });
    await log.logger('Tup', 'Srv', 'logger', '%Y%m%d', ['logger over tup\n'], { version: 3 });
    expect(linesOf(join(root, 'Tup/Srv/Tup.Srv_v3_20240101.log'))).toEqual(['127.0.0.1|over tup\n']);
    expect(linesOf(join(root, 'Tup/Srv/Tup.Srv_logger_20240101.log'))).toEqual(['127.0.0.1|logger over tup\n']);
  });

  it('trace lines (_t_trace_) go to _tars_/_trace_ with app and server in each line', async () => {
    await log.loggerbyInfo(LogF.LogInfo.create({ appname: 'App', servername: 'Srv', sFilename: '_t_trace_', sFormat: '%Y%m%d%H' }), ['span-1\n', `${'x'.repeat(1_000_001)}\n`, 'span-2\n']);
    expect(linesOf(join(root, '_tars_/_trace_/_tars_._trace___t_trace__2024010110.log'))).toEqual(['127.0.0.1|App|Srv|span-1\n', '127.0.0.1|App|Srv|span-2\n']);
    expect(svc.counters().traceLinesSkipped).toBe(1);
  });

  it('config rules take effect on the next call: ipfix off, hour list, forced log type', async () => {
    const before = svc.rules();
    try {
      svc.setRules({ ipPrefix: false, hourly: new Set(['Hour.Srv']), logTypes: new Map([['Typed.Srv.x', '10minute']]) });
      await log.logger('Hour.x', 'Srv', '', '%Y%m%d', ['not in the hour list\n']);
      await log.logger('Hour', 'Srv', '', '%Y%m%d', ['verbatim, no node name\n']);
      await log.loggerbyInfo(LogF.LogInfo.create({ appname: 'Typed', servername: 'Srv', sFilename: 'x', sFormat: '%Y', sLogType: 'day' }), ['typed\n']);
      expect(linesOf(join(root, 'Hour.x/Srv/Hour.x.Srv_20240101.log'))).toEqual(['not in the hour list\n']);
      expect(linesOf(join(root, 'Hour/Srv/Hour.Srv_2024010110.log'))).toEqual(['verbatim, no node name\n']);
      expect(linesOf(join(root, 'Typed/Srv/Typed.Srv_x_202401011000.log'))).toEqual(['typed\n']);
    } finally {
      svc.setRules(before);
    }
  });

  it('refuses names that would escape the log directory, writes nothing, and keeps serving', async () => {
    const before = tree(dir);
    const info = (o: Partial<LogF.LogInfo>) => LogF.LogInfo.create({ appname: 'App', servername: 'Srv', sFormat: '%Y%m%d', ...o });
    const attempts: Array<[string, () => Promise<void>, RegExp]> = [
      ['app ../', () => log.logger('../outside', 'x', '', '%Y%m%d', ['a\n']), /app "\.\.\/outside" contains "\/"/],
      ['app ..', () => log.logger('..', 'outside', '', '%Y%m%d', ['a\n']), /app "\.\." is "\.\."/],
      ['server /', () => log.logger('App', '/etc', '', '%Y%m%d', ['a\n']), /server "\/etc" contains "\/"/],
      ['file ../', () => log.logger('App', 'Srv', '../../../outside/x', '%Y%m%d', ['a\n']), /log file name .* contains "\/"/],
      ['NUL', () => log.logger('App\0', 'Srv', '', '%Y%m%d', ['a\n']), /app "App\\u0000" contains a NUL character/],
      ['empty app', () => log.logger('', 'Srv', '', '%Y%m%d', ['a\n']), /app "" is empty/],
      ['empty server', () => log.loggerbyInfo(info({ servername: '' }), ['a\n']), /servername "" is empty/],
      ['appname ..', () => log.loggerbyInfo(info({ appname: '..', servername: 'outside' }), ['a\n']), /appname "\.\." is "\.\."/],
      ['sFilename ../', () => log.loggerbyInfo(info({ sFilename: '../../outside/f', bHasAppNamePrefix: false }), ['a\n']), /log file name .* contains "\/"/],
      ['sConcatStr /', () => log.loggerbyInfo(info({ sConcatStr: '/../../outside/' }), ['a\n']), /contains "\/"/],
      ['sFormat with /', () => log.loggerbyInfo(info({ sFormat: '%D' }), ['a\n']), /log file name "App\.Srv_01\/01\/24\.log" contains "\/"/],
      ['setdivision with /', () => log.loggerbyInfo(info({ setdivision: 'a/.b.c' }), ['a\n']), /set of setdivision .* contains "\/"/],
      ['bare ..', () => log.loggerbyInfo(info({ sFilename: '..', bHasAppNamePrefix: false, sConcatStr: '', sFormat: '', bHasSufix: false }), ['a\n']), /log file name "\.\." is "\.\."/],
      ['backslash', () => log.loggerbyInfo(info({ sFilename: '..\\..\\x' }), ['a\n']), /contains "\\"/],
      ['too long', () => log.loggerbyInfo(info({ sFilename: 'f'.repeat(300) }), ['a\n']), /longer than 255 bytes/],
    ];
    for (const [what, call, message] of attempts) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error, what).toBeInstanceOf(ServerError);
      expect((error as ServerError).code, what).toBe(-99);
      expect((error as ServerError).desc, what).toMatch(/^refused: /);
      expect((error as ServerError).desc, what).toMatch(message);
    }
    expect(tree(dir)).toEqual(before);
    expect(svc.counters().refused).toBe(attempts.length);
    // still serving on the same connection
    await log.logger('App', 'Srv', 'after', '%Y%m%d', ['still here\n']);
    expect(linesOf(join(root, 'App/Srv/App.Srv_after_20240101.log'))).toEqual(['127.0.0.1|still here\n']);
  });
});
