// Pure parts of tarsimage: task ids, the form checks, auth, docker config merging, the package
// unpacker's path safety, the Dockerfile text, settings.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { TarsConfig } from '@tars-ts/service';
import { authorized, parseTokens } from './auth.ts';
import { credentialsFor, mergedDockerConfig, registryHost } from './docker-config.ts';
import { dockerfile, extractZip, PackageError, unpackPackage } from './extract.ts';
import { BadRequestError, packageExtension, parseBuildForm } from './form.ts';
import { failureOf, hostPathOf } from './kaniko-pod-builder.ts';
import { imageSettings } from './settings.ts';
import { newTaskId } from './task-id.ts';
import { serverPackage } from './testing/server-package.ts';

describe('task id', () => {
  it('is v<UTC stamp>-<crc32(pod) hex>-<4 hex digits>', () => {
    const id = newTaskId('tars-tarsimage-0', new Date('2026-01-02T03:04:05Z'), 0x1abc);
    expect(id).toBe(`v20260102030405-${crc32('tars-tarsimage-0').toString(16)}-1abc`);
    for (let i = 0; i < 50; i++) expect(newTaskId('p')).toMatch(/^v\d{14}-[0-9a-f]+-[1-9a-f][0-9a-f]{3}$/);
  });
});

describe('form', () => {
  const ok = { ServerApp: 'Test', ServerName: 'HelloServer', ServerType: 'java-war', BaseImage: 'registry.local:5000/tars/javabase:v1' };
  const parse = (f: Record<string, string>) => parseBuildForm(new Map(Object.entries(f)));
  it('accepts upstream fields and leaves empty ones out', () => {
    expect(parse({ ...ok, ServerTag: '', Secret: ' ', Mark: 'm' })).toEqual({ serverApp: 'Test', serverName: 'HelloServer', serverType: 'java-war', baseImage: ok.BaseImage, mark: 'm', serverTag: undefined, secret: undefined, baseImageSecret: undefined, createPerson: undefined });
  });
  it.each([
    ['ServerApp', 'a/b'], ['ServerName', '1abc'], ['ServerType', 'python'], ['ServerTag', '-x'], ['BaseImage', 'UPPER/x'],
    ['BaseImage', 'a b'], ['Secret', 'a_b'], ['BaseImageSecret', '..'], ['CreatePerson', 'x'.repeat(101)],
  ])('refuses %s=%j', (field, value) => {
    expect(() => parse({ ...ok, [field]: value })).toThrow(new RegExp(field));
  });
  it('requires the identity fields', () => {
    for (const f of ['ServerApp', 'ServerName', 'ServerType', 'BaseImage']) {
      const rest: Record<string, string> = { ...ok };
      delete rest[f];
      expect(() => parse(rest)).toThrow(BadRequestError);
    }
  });
  it('knows the package types', () => {
    expect(['a.tgz', 'A.TAR.GZ', 'x.war', 'y.jar', 'z.zip', 'tgz'].map(packageExtension)).toEqual(['.tgz', '.tgz', '.war', '.jar', undefined, undefined]);
  });
});

describe('auth', () => {
  const auth = { kind: 'tokens' as const, tokens: ['t1', 't2'] };
  it('takes Bearer or the Basic password', () => {
    expect(authorized(auth, { authorization: 'Bearer t2' })).toBe(true);
    expect(authorized(auth, { authorization: `Basic ${Buffer.from('x:t1').toString('base64')}` })).toBe(true);
    expect(authorized(auth, { authorization: `Basic ${Buffer.from('t1').toString('base64')}` })).toBe(false);
    expect(authorized(auth, { authorization: 'Bearer t3' })).toBe(false);
    expect(authorized(auth, {})).toBe(false);
    expect(authorized({ kind: 'none' }, {})).toBe(true);
  });
  it('reads token files', () => {
    expect(parseTokens('# c\n a \n\nb\n')).toEqual(['a', 'b']);
  });
});

describe('docker config', () => {
  it('merges the auths of both secrets, the push secret last', async () => {
    const secrets: Record<string, string> = { base: JSON.stringify({ auths: { 'a.io': { auth: 'YTpi' }, 'c.io': { auth: 'old' } } }), push: JSON.stringify({ auths: { 'c.io': { username: 'u', password: 'p' } } }) };
    const reader = { dockerConfig: async (n: string) => JSON.parse(secrets[n]!) };
    const merged = await mergedDockerConfig(reader, ['base', undefined, 'push']);
    expect(merged.auths).toEqual({ 'a.io': { auth: 'YTpi' }, 'c.io': { username: 'u', password: 'p' } });
    expect(credentialsFor(merged, 'a.io')).toEqual({ username: 'a', password: 'b' });
    expect(registryHost('reg.io:5000/a/b:1')).toBe('reg.io:5000');
    expect(registryHost('library/nginx')).toBe('docker.io');
  });
});

describe('package unpacking', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'unpack-'));
  it('strips the top directory into root/usr/local/server/bin, keeping modes', async () => {
    const d = dir();
    writeFileSync(join(d, 'p.tgz'), await serverPackage('HelloServer', { HelloServer: 'bin', 'conf/x.conf': 'x' }));
    expect(await unpackPackage(join(d, 'p.tgz'), '.tgz', join(d, 'ctx'))).toBe(2);
    expect(readFileSync(join(d, 'ctx/root/usr/local/server/bin/conf/x.conf'), 'utf8')).toBe('x');
    expect(readdirSync(join(d, 'ctx/root/usr/local/server/bin')).sort()).toEqual(['HelloServer', 'conf']);
    rmSync(d, { recursive: true });
  });
  it('refuses entries and symlinks that leave the package directory', async () => {
    const d = dir();
    writeFileSync(join(d, 'evil.tgz'), await serverPackage('S', { ok: '1' }, [{ name: 'S/link', type: 'symlink', linkname: '../../../../etc' }]));
    await expect(unpackPackage(join(d, 'evil.tgz'), '.tgz', join(d, 'ctx'))).rejects.toThrow(/points outside/);
    writeFileSync(join(d, 'dots.tgz'), await serverPackage('S', { '../../escape': 'x' }));
    await expect(unpackPackage(join(d, 'dots.tgz'), '.tgz', join(d, 'ctx2'))).rejects.toThrow(/leaves the package/);
    expect(existsSync(join(d, 'escape'))).toBe(false);
    writeFileSync(join(d, 'bad.tgz'), 'not gzip');
    await expect(unpackPackage(join(d, 'bad.tgz'), '.tgz', join(d, 'ctx3'))).rejects.toThrow(PackageError);
    rmSync(d, { recursive: true });
  });
  it('unzips a .war (stored and deflated entries)', async () => {
    const d = dir();
    const entries = [{ name: 'WEB-INF/web.xml', data: Buffer.from('<web/>'), method: 8 }, { name: 'index.html', data: Buffer.from('hi'), method: 0 }];
    const locals: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const e of entries) {
      const body = e.method === 8 ? deflateRawSync(e.data) : e.data;
      const name = Buffer.from(e.name);
      const h = Buffer.alloc(30);
      h.writeUInt32LE(0x04034b50, 0); h.writeUInt16LE(e.method, 8); h.writeUInt32LE(crc32(e.data), 14); h.writeUInt32LE(body.length, 18); h.writeUInt32LE(e.data.length, 22); h.writeUInt16LE(name.length, 26);
      locals.push(h, name, body);
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(e.method, 10); c.writeUInt32LE(crc32(e.data), 16); c.writeUInt32LE(body.length, 20); c.writeUInt32LE(e.data.length, 24); c.writeUInt16LE(name.length, 28); c.writeUInt32LE(offset, 42);
      central.push(c, name);
      offset += 30 + name.length + body.length;
    }
    const cd = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
    writeFileSync(join(d, 'a.war'), Buffer.concat([...locals, cd, end]));
    expect(await extractZip(join(d, 'a.war'), join(d, 'out'))).toBe(2);
    expect(readFileSync(join(d, 'out/WEB-INF/web.xml'), 'utf8')).toBe('<web/>');
    expect(readFileSync(join(d, 'out/index.html'), 'utf8')).toBe('hi');
    rmSync(d, { recursive: true });
  });
  it('writes upstream\'s Dockerfile', () => {
    expect(dockerfile('reg/cppbase:v1', 'cpp')).toBe('FROM reg/cppbase:v1\nENV ServerType=cpp\nCOPY root /\n');
  });
});

describe('kaniko pod helpers', () => {
  it('maps workspace paths to the host and explains failures', () => {
    expect(hostPathOf({ workspaceInPod: '/workspace', workspaceInHost: '/usr/local/app/tars/image_build' }, '/workspace/build/p/v1')).toBe('/usr/local/app/tars/image_build/build/p/v1');
    expect(() => hostPathOf({ workspaceInPod: '/workspace', workspaceInHost: '/h' }, '/etc')).toThrow(/not under/);
    expect(failureOf({ metadata: {}, status: { phase: 'Failed', reason: 'DeadlineExceeded', message: 'too slow' } })).toBe('DeadlineExceeded: too slow');
  });
});

describe('settings', () => {
  const conf = (text: string) => TarsConfig.parse(text, 't.conf');
  it('defaults to upstream paths, port 80 and token auth', () => {
    const s = imageSettings(conf(''), { PodName: 'tars-tarsimage-0', TARS_IMAGE_TOKENS: 'abc' });
    expect(s).toMatchObject({ port: 80, host: '0.0.0.0', uploadDir: '/workspace/upload/tars-tarsimage-0', buildDir: '/workspace/build/tars-tarsimage-0', builder: 'buildah', auth: { kind: 'tokens', tokens: ['abc'] }, maxUploadBytes: 150 * 1024 * 1024 });
    expect(imageSettings(conf(''), { TARS_IMAGE_TOKENS: 'a', KUBERNETES_SERVICE_HOST: '10.0.0.1' }).builder).toBe('kaniko');
  });
  it('refuses to start without tokens unless auth is explicitly none', () => {
    expect(() => imageSettings(conf(''), {})).toThrow(/no upload tokens/);
    expect(imageSettings(conf('<tars>\n<image>\nauth=none\nlisten=127.0.0.1:8080\nmax-upload=10M\n</image>\n</tars>\n'), {})).toMatchObject({ auth: { kind: 'none' }, port: 8080, maxUploadBytes: 10 * 1024 * 1024 });
    expect(() => imageSettings(conf('<tars>\n<image>\nbuilder=docker\n</image>\n</tars>\n'), { TARS_IMAGE_TOKENS: 'a' })).toThrow(/kaniko or buildah/);
  });
});
