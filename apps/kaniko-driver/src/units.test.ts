// Pure parts of the driver: the command line, the Dockerfile subset, image references, credentials,
// and the layer it builds.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { parseArgs } from './args.ts';
import { buildLayer } from './assemble.ts';
import { parseDockerfile } from './dockerfile.ts';
import { credentialsFrom, parseImageRef } from './registry-client.ts';

describe('args', () => {
  it('reads upstream\'s command line and kaniko flags it does not need', () => {
    expect(parseArgs(['--timage=t', '--id', 'v1', '--dockerfile=/workspace/Dockerfile', '--context=dir:///workspace', '--destination=r.io/a.b:v1', '--cache=true', '--skip-tls-verify', '--push-retry=3', '--insecure-registry=reg.local:5000'])).toEqual({
      timage: 't', id: 'v1', dockerfile: '/workspace/Dockerfile', context: '/workspace', destination: 'r.io/a.b:v1', insecureRegistries: ['reg.local:5000'], skipTlsVerify: true,
    });
  });
  it('refuses missing and unknown flags', () => {
    expect(() => parseArgs(['--timage=t'])).toThrow(/--id is required/);
    expect(() => parseArgs(['--timage=t', '--id=1', '--dockerfile=D', '--context=dir://rel', '--destination=x'])).toThrow(/absolute/);
    expect(() => parseArgs(['--bogus=1'])).toThrow(/unknown flag --bogus/);
  });
});

describe('dockerfile subset', () => {
  it('parses what tarsimage writes', () => {
    expect(parseDockerfile('FROM reg/cppbase:v1\nENV ServerType=cpp\nCOPY root /\n')).toEqual({ from: 'reg/cppbase:v1', env: [['ServerType', 'cpp']], copies: [{ src: 'root', dest: '/' }] });
  });
  it.each([
    ['FROM a\nRUN rm -rf /', /RUN is not supported/],
    ['ENV A=1', /no FROM/],
    ['FROM a\nFROM b', /only one FROM/],
    ['FROM a\nCOPY ../x /', /inside the context/],
    ['FROM a\nCOPY --chown=1 x /', /one source/],
    ['FROM a\nCOPY x rel', /absolute/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDockerfile(text)).toThrow(message);
  });
});

describe('image references and credentials', () => {
  it('splits host, repository and tag or digest', () => {
    expect(parseImageRef('127.0.0.1:5000/tars/test.hello:v1')).toEqual({ host: '127.0.0.1:5000', repo: 'tars/test.hello', reference: 'v1' });
    expect(parseImageRef('nginx')).toEqual({ host: 'registry-1.docker.io', repo: 'library/nginx', reference: 'latest' });
    expect(parseImageRef(`reg.io/a@sha256:${'a'.repeat(64)}`)).toEqual({ host: 'reg.io', repo: 'a', reference: `sha256:${'a'.repeat(64)}` });
    expect(() => parseImageRef('reg.io/UPPER:1')).toThrow(/invalid image reference/);
  });
  it('finds credentials by host, auth or username/password', () => {
    const config = { auths: { 'https://reg.io/v1/': { auth: Buffer.from('u:p:x').toString('base64') }, 'other:5000': { username: 'a', password: 'b' }, 'https://index.docker.io/v1/': { auth: Buffer.from('d:h').toString('base64') } } };
    expect(credentialsFrom(config, 'reg.io')).toEqual({ username: 'u', password: 'p:x' });
    expect(credentialsFrom(config, 'other:5000')).toEqual({ username: 'a', password: 'b' });
    expect(credentialsFrom(config, 'registry-1.docker.io')).toEqual({ username: 'd', password: 'h' });
    expect(credentialsFrom(config, 'none.io')).toBeUndefined();
  });
});

describe('layer', () => {
  it('is the COPY source at its destination, root-owned, modes and symlinks kept, reproducible', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layer-'));
    mkdirSync(join(dir, 'root/usr/local/server/bin'), { recursive: true });
    writeFileSync(join(dir, 'root/usr/local/server/bin/S'), 'x', { mode: 0o750 });
    symlinkSync('S', join(dir, 'root/usr/local/server/bin/link'));
    const plan = parseDockerfile('FROM a\nCOPY root /\n');
    const one = await buildLayer(dir, plan);
    const two = await buildLayer(dir, plan);
    expect(one.diffId).toBe(two.diffId);
    expect(one.files).toBe(1);
    const entries: string[] = [];
    const ex = tar.extract();
    await new Promise<void>((resolve, reject) => {
      ex.on('entry', (h, s, next) => {
        entries.push(`${h.type} ${h.name} ${(h.mode ?? 0).toString(8)} ${(h as { uid?: number }).uid}${h.linkname ? ` -> ${h.linkname}` : ''}`);
        s.resume();
        s.on('end', () => next());
      });
      ex.on('finish', resolve);
      ex.on('error', reject);
      ex.end(gunzipSync(one.blob));
    });
    expect(entries.filter((e) => e.includes('server/bin/'))).toEqual(['file usr/local/server/bin/S 750 0', 'symlink usr/local/server/bin/link 777 0 -> S']);
    rmSync(dir, { recursive: true });
  });
});
