import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DayFileTransport, SizeRollingFileTransport } from './file-transports.ts';
import { formatMessage, formatTarsLine, levelEnabled, parseLogLevel } from './format.ts';
import { ServiceLogger, type Logger } from './logger.ts';

// winston-tars (winston 2) lives in tools/interop-peers; its Detail formatter is the line-format oracle.
const peers = createRequire(resolve(import.meta.dirname, '../../../../tools/interop-peers/package.json'));
const Detail = peers('@tars/winston-tars/lib/formatter.js').Detail as () => (o: { level: string; message: string; meta?: unknown }) => string;

const tmp = () => mkdtempSync(join(tmpdir(), 'tars-log-'));

function collector(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Tars line format', () => {
  it('matches winston-tars Formatter.Detail for messages, errors and primitive meta', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 10, 24, 9, 5, 3));
    const detail = Detail();
    const now = new Date();
    expect(formatTarsLine(now, process.pid, 'INFO', 'hello | world')).toBe(detail({ level: 'info', message: 'hello | world' }));
    const err = new Error('boom');
    expect(formatTarsLine(now, process.pid, 'ERROR', formatMessage('load failed', [err]))).toBe(detail({ level: 'error', message: 'load failed', meta: err }));
    expect(formatTarsLine(now, process.pid, 'WARN', formatMessage('n', [42]))).toBe(detail({ level: 'warn', message: 'n', meta: 42 }));
    expect(formatTarsLine(now, 7, 'DEBUG', 'x')).toBe('2026-11-24 09:05:03|7|DEBUG|x');
  });

  it('appends objects as JSON and survives cycles and bigints', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(formatMessage('m', [{ file: 'a.conf', n: 2n }])).toBe('m|{"file":"a.conf","n":"2"}');
    expect(formatMessage('m', [cyclic])).toMatch(/^m\|<ref \*1> \{ a: 1, self: \[Circular \*1\] \}$/);
    expect(formatMessage('m', [null, undefined, 'x'])).toBe('m|null|undefined|x');
  });

  it('parses and orders levels', () => {
    expect(parseLogLevel(' info ')).toBe('INFO');
    expect(parseLogLevel('trace')).toBeUndefined();
    expect(levelEnabled('INFO', 'WARN')).toBe(true);
    expect(levelEnabled('INFO', 'DEBUG')).toBe(false);
    expect(levelEnabled('NONE', 'ERROR')).toBe(false);
    expect(levelEnabled('DEBUG', 'DEBUG')).toBe(true);
  });
});

const clock = () => new Date(2026, 0, 2, 3, 4, 5);

describe('ServiceLogger', () => {
  it('filters by level and changes level at run time', async () => {
    const { stream, lines } = collector();
    const log = new ServiceLogger({ stream, level: 'warn', clock, pid: 11 });
    log.debug('d1');
    log.info('i1');
    log.warn('w1');
    log.error('e1', { code: 5 });
    expect(log.setLevel('debug')).toBe('DEBUG');
    log.debug('d2');
    log.setLevel('NONE');
    log.error('e2');
    expect(() => log.setLevel('LOUD')).toThrow('unknown log level "LOUD"');
    expect(log.level).toBe('NONE');
    await log.close();
    expect(lines).toEqual(['2026-01-02 03:04:05|11|WARN|w1', '2026-01-02 03:04:05|11|ERROR|e1|{"code":5}', '2026-01-02 03:04:05|11|DEBUG|d2']);
  });

  it('is accepted where the structural Logger is expected', () => {
    const seen: string[] = [];
    const use = (l: Logger) => l.info('x');
    use(new ServiceLogger());
    use({ debug: () => {}, info: (m: string) => seen.push(m), warn: () => {}, error: () => {} });
    expect(seen).toEqual(['x']);
  });

  it('writes <logpath>/<app>/<server>/<app>.<server>.log and day logs beside it', async () => {
    const logpath = tmp();
    const log = new ServiceLogger({ file: { logpath, app: 'Test', server: 'HelloServer' }, clock, pid: 3 });
    log.info('started');
    log.dayLog('query').info('findObjectById Test.HelloServer.HelloObj');
    await log.close();
    const dir = join(logpath, 'Test', 'HelloServer');
    expect(readFileSync(join(dir, 'Test.HelloServer.log'), 'utf8')).toBe('2026-01-02 03:04:05|3|INFO|started\n');
    expect(readFileSync(join(dir, 'Test.HelloServer_query_20260102.log'), 'utf8')).toBe(
      '2026-01-02 03:04:05|3|INFO|findObjectById Test.HelloServer.HelloObj\n',
    );
    expect(() => new ServiceLogger().dayLog('x')).toThrow('day logs need file output');
    expect(() => new ServiceLogger({ file: { logpath, app: 'A', server: 'B' } }).dayLog('../x')).toThrow('invalid day log name');
  });
});

describe('main log rolled by day', () => {
  it('writes <app>.<server>_<YYYYMMDD>.log and moves to a new file at midnight', async () => {
    const logpath = tmp();
    let now = new Date(2026, 10, 24, 23, 59, 59);
    const log = new ServiceLogger({ file: { logpath, app: 'A', server: 'B', roll: 'day' }, clock: () => now, pid: 5 });
    log.info('late');
    now = new Date(2026, 10, 25, 0, 0, 1);
    log.info('early');
    await log.close();
    const dir = join(logpath, 'A', 'B');
    expect(readdirSync(dir).sort()).toEqual(['A.B_20261124.log', 'A.B_20261125.log']);
    expect(readFileSync(join(dir, 'A.B_20261124.log'), 'utf8')).toBe('2026-11-24 23:59:59|5|INFO|late\n');
    expect(readFileSync(join(dir, 'A.B_20261125.log'), 'utf8')).toBe('2026-11-25 00:00:01|5|INFO|early\n');
  });
});

describe('SizeRollingFileTransport', () => {
  it('rolls to _1.._N-1, keeps the newest lines, never exceeds maxSize', () => {
    const dir = join(tmp(), 'nested', 'dir');
    const t = new SizeRollingFileTransport({ dir, basename: 'A.B', maxSize: 100, maxFiles: 3 });
    const written: string[] = [];
    for (let i = 0; i < 40; i++) {
      const line = `line ${i} ${'x'.repeat(i % 7)}\n`;
      written.push(line);
      t.writeLine(line);
    }
    t.close();
    expect(readdirSync(dir).sort()).toEqual(['A.B.log', 'A.B_1.log', 'A.B_2.log']);
    const files = [t.rolledFilename(2), t.rolledFilename(1), t.filename];
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(100);
    const kept = files.map((f) => readFileSync(f, 'utf8')).join('');
    expect(written.join('').endsWith(kept)).toBe(true);
    expect(kept.length).toBeGreaterThan(200); // three nearly full files survived, not just the last one
  });

  it('appends to an existing file and counts its size', () => {
    const dir = tmp();
    const first = new SizeRollingFileTransport({ dir, basename: 'A.B', maxSize: 20, maxFiles: 2 });
    first.writeLine('0123456789\n');
    first.close();
    const second = new SizeRollingFileTransport({ dir, basename: 'A.B', maxSize: 20, maxFiles: 2 });
    second.writeLine('abcdefghij\n');
    second.close();
    expect(readFileSync(join(dir, 'A.B_1.log'), 'utf8')).toBe('0123456789\n');
    expect(readFileSync(join(dir, 'A.B.log'), 'utf8')).toBe('abcdefghij\n');
  });

  it('with maxFiles 1 starts over, and rejects bad options', () => {
    const dir = tmp();
    const t = new SizeRollingFileTransport({ dir, basename: 'A.B', maxSize: 10, maxFiles: 1 });
    t.writeLine('aaaaaaaa\n');
    t.writeLine('bbbbbbbb\n');
    t.close();
    expect(readdirSync(dir)).toEqual(['A.B.log']);
    expect(readFileSync(join(dir, 'A.B.log'), 'utf8')).toBe('bbbbbbbb\n');
    expect(() => new SizeRollingFileTransport({ dir, basename: 'x', maxSize: 0, maxFiles: 1 })).toThrow('maxSize');
    expect(() => new SizeRollingFileTransport({ dir, basename: 'x', maxSize: 1, maxFiles: 0 })).toThrow('maxFiles');
  });

  it('rolls when the ServiceLogger writes through winston', async () => {
    const logpath = tmp();
    const log = new ServiceLogger({ file: { logpath, app: 'A', server: 'B', maxSize: 200, maxFiles: 2 }, clock, pid: 1 });
    for (let i = 0; i < 20; i++) log.info(`message ${i}`);
    await log.close();
    const dir = join(logpath, 'A', 'B');
    expect(readdirSync(dir).sort()).toEqual(['A.B.log', 'A.B_1.log']);
    expect(readFileSync(join(dir, 'A.B.log'), 'utf8').trimEnd().split('\n').at(-1)).toBe('2026-01-02 03:04:05|1|INFO|message 19');
  });
});

describe('DayFileTransport', () => {
  it('starts a new file when the local day changes', () => {
    const dir = tmp();
    let now = new Date(2026, 10, 24, 23, 59, 59);
    const t = new DayFileTransport({ dir, basename: 'A.B_readiness', clock: () => now });
    t.writeLine('one\n');
    t.writeLine('two\n');
    now = new Date(2026, 10, 25, 0, 0, 0);
    t.writeLine('three\n');
    t.close();
    expect(readFileSync(join(dir, 'A.B_readiness_20261124.log'), 'utf8')).toBe('one\ntwo\n');
    expect(readFileSync(join(dir, 'A.B_readiness_20261125.log'), 'utf8')).toBe('three\n');
    expect(existsSync(t.filenameFor('20261126'))).toBe(false);
  });
});
