import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigParseError } from './parse.ts';
import { ConfigPathError, parseConfigPath } from './path.ts';
import { ConfigValueError, TarsConfig } from './tars-config.ts';

function parseError(text: string): ConfigParseError {
  try {
    TarsConfig.parse(text, 'app.conf');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigParseError);
    return e as ConfigParseError;
  }
  throw new Error('expected a parse error');
}

describe('parse errors name the line', () => {
  it('reports an unterminated tag', () => {
    const e = parseError('<tars>\n  <application\n</tars>');
    expect(e.line).toBe(2);
    expect(e.message).toBe('app.conf:2: domain tag "<application" is not closed with \'>\'');
  });

  it('reports a close tag that does not match, with the line of the open tag', () => {
    const e = parseError('<tars>\n\n  <server>\n  </client>\n</tars>');
    expect(e.line).toBe(4);
    expect(e.message).toContain('</client> does not match <server> opened at line 3');
  });

  it('reports a close tag with nothing open', () => {
    expect(parseError('a=1\n</tars>').line).toBe(2);
  });

  it('reports a domain never closed at the line that opened it', () => {
    const e = parseError('<tars>\n<application>\n</application>\n');
    expect(e.line).toBe(1);
    expect(e.message).toContain('<tars> is never closed');
  });

  it('reports an empty key and empty or malformed domain names', () => {
    expect(parseError('<a>\n = x\n</a>').message).toContain("app.conf:2: missing key before '='");
    expect(parseError('<>\n</>').line).toBe(1);
    expect(parseError('<a/b>\n</a/b>').line).toBe(1);
  });

  it('counts CRLF and lone CR line endings as one line each', () => {
    expect(parseError('<a>\r\n<b>\r\n</c>\r\n</a>').line).toBe(3);
    expect(parseError('<a>\r<b>\r</c>\r</a>').line).toBe(3);
  });
});

describe('reading values', () => {
  const config = TarsConfig.parse(`
# comment
<tars>
  <application>
    enableset = Y
    <server>
      app=Test
      server=HelloServer
      # a comment line inside
      node=tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p 19386 -t 60000
      expr = a=b
      logsize=15M
      lognum=7
      bad=12x
      logLevel=INFO
      logLevel=WARN
      empty=
    </server>
  </application>
  <elk>
    <nodes>
      es-0:9200
      es-1:9200
    </nodes>
  </elk>
</tars>
<tars>
  <application>
    <server>
      app=Merged
    </server>
  </application>
</tars>`);

  it('gets parameters with defaults; a repeated key or merged domain keeps the last value', () => {
    expect(config.get('/tars/application/server<server>')).toBe('HelloServer');
    expect(config.get('/tars/application/server<app>')).toBe('Merged');
    expect(config.get('/tars/application/server<logLevel>')).toBe('WARN');
    expect(config.get('/tars/application/server<expr>')).toBe('a=b');
    expect(config.get('/tars/application/server<empty>')).toBe('');
    expect(config.get('/tars/application/server<missing>')).toBeUndefined();
    expect(config.get('/tars/application/server<missing>', 'x')).toBe('x');
    expect(config.get('/tars/nowhere<app>', 'x')).toBe('x');
  });

  it('reads ints, booleans and sizes, and rejects what is not one', () => {
    expect(config.getInt('/tars/application/server<lognum>')).toBe(7);
    expect(config.getInt('/tars/application/server<missing>', 3)).toBe(3);
    expect(config.getInt('/tars/application/server<empty>', 3)).toBe(3);
    expect(() => config.getInt('/tars/application/server<bad>')).toThrow('config /tars/application/server<bad>: "12x" is not an integer');
    expect(config.getBool('/tars/application<enableset>')).toBe(true);
    expect(() => config.getBool('/tars/application/server<app>')).toThrow(ConfigValueError);
    expect(config.getSize('/tars/application/server<logsize>')).toBe(15 * 1024 * 1024);
    expect(config.getSize('/tars/application/server<lognum>')).toBe(7);
    expect(() => config.getSize('/tars/application/server<bad>')).toThrow('is not a size');
  });

  it('requires values', () => {
    expect(config.require('/tars/application/server<app>')).toBe('Merged');
    expect(() => config.require('/tars/application/server<empty>')).toThrow('required value is missing');
  });

  it('lists domains, parameter maps and raw lines', () => {
    expect(config.getDomain('/')).toEqual(['tars']);
    expect(config.getDomain('/tars')).toEqual(['application', 'elk']);
    expect(config.getDomain('/tars/none')).toEqual([]);
    expect(config.hasDomain('/tars/elk/nodes')).toBe(true);
    expect(config.hasDomain('/tars/elk/none')).toBe(false);
    expect(config.getDomainLines('/tars/elk/nodes')).toEqual(['es-0:9200', 'es-1:9200']);
    expect(config.getDomainMap('/tars/application')).toEqual({ enableset: 'Y' });
    expect(config.getDomainMap('/tars/application/server').logLevel).toBe('WARN');
    expect(config.getDomainLines('/tars/application')).toEqual(['enableset = Y']);
  });

  it('rejects malformed paths with a clear message', () => {
    expect(() => config.get('tars.application.server.app')).toThrow(ConfigPathError);
    expect(() => config.get('/tars/application/server')).toThrow('get() needs a parameter path');
    expect(() => config.getDomain('/tars<app>')).toThrow('expected a domain path');
    expect(() => parseConfigPath('/tars//x')).toThrow('empty or malformed domain name');
    expect(() => parseConfigPath('/tars<x')).toThrow('<key> at the end');
    expect(parseConfigPath('/tars/a.b c<k>')).toEqual({ domains: ['tars', 'a.b c'], key: 'k' });
    expect(parseConfigPath('/')).toEqual({ domains: [] });
  });
});

describe('set, clone and files', () => {
  it('sets values creating domains, without touching a clone', () => {
    const config = TarsConfig.parse('<tars>\n</tars>');
    const copy = config.clone();
    config.set('/tars/application/server<app>', ' Test ');
    expect(config.get('/tars/application/server<app>')).toBe('Test');
    expect(copy.get('/tars/application/server<app>')).toBeUndefined();
    expect(TarsConfig.parse(config.toString()).get('/tars/application/server<app>')).toBe('Test');
    expect(() => config.set('/tars<k>', 'a\nb')).toThrow(ConfigValueError);
    expect(() => config.set('/tars<#k>', 'a')).toThrow(ConfigValueError);
  });

  it('loads a file and names it in errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tars-config-'));
    const good = join(dir, 'good.conf');
    const bad = join(dir, 'bad.conf');
    writeFileSync(good, '<tars>\n<application>\n<server>\napp=A\n</server>\n</application>\n</tars>\n');
    writeFileSync(bad, '<tars>\n<application>\n</tars>\n');
    expect(TarsConfig.loadSync(good).get('/tars/application/server<app>')).toBe('A');
    expect((await TarsConfig.load(good)).source).toBe(good);
    await expect(TarsConfig.load(bad)).rejects.toThrow(`${bad}:3: </tars> does not match <application> opened at line 2`);
    expect(() => TarsConfig.loadSync(join(dir, 'none.conf'))).toThrow('ENOENT');
  });
});
