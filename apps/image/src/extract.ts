/**
 * Unpacks a server package into the build context without a `tar` or `unzip` binary (the image
 * has no shell): `.tgz` with `--strip-components=1` semantics, `.war` as a zip, `.jar` copied as
 * is. Every path is checked to stay inside the destination; symlinks may not point outside it.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, inflateRawSync } from 'node:zlib';
import tar from 'tar-stream';

export class PackageError extends Error {
  override name = 'PackageError';
}

/** `dest/<name>` when it stays inside `dest`, else undefined. */
function inside(dest: string, name: string): string | undefined {
  if (name === '' || isAbsolute(name) || name.includes('\0')) return undefined;
  const target = resolve(dest, normalize(name));
  const rel = relative(dest, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return target;
}

function stripFirst(name: string): string {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  return parts.slice(1).join('/');
}

export async function extractTgz(file: string, dest: string): Promise<number> {
  await mkdir(dest, { recursive: true });
  const ex = tar.extract();
  let files = 0;
  ex.on('entry', (header, stream, next) => {
    const handle = async () => {
      const name = stripFirst(header.name);
      if (name === '') return stream.resume();
      const target = inside(dest, name);
      if (!target) throw new PackageError(`package entry ${JSON.stringify(header.name)} leaves the package directory`);
      const mode = (header.mode ?? 0o644) & 0o777;
      switch (header.type) {
        case 'directory':
          await mkdir(target, { recursive: true, mode: mode | 0o700 });
          return stream.resume();
        case 'file':
        case 'contiguous-file':
          await mkdir(dirname(target), { recursive: true });
          await pipeline(stream, createWriteStream(target, { mode: mode | 0o600 }));
          files++;
          return;
        case 'symlink': {
          const linkTarget = header.linkname ?? '';
          const rel = relative(dest, resolve(dirname(target), linkTarget));
          if (isAbsolute(linkTarget) || rel.startsWith('..') || isAbsolute(rel)) {
            throw new PackageError(`symlink ${JSON.stringify(header.name)} -> ${JSON.stringify(linkTarget)} points outside the package`);
          }
          await mkdir(dirname(target), { recursive: true });
          await symlink(linkTarget, target);
          return stream.resume();
        }
        default:
          throw new PackageError(`package entry ${JSON.stringify(header.name)} has unsupported type ${header.type}`);
      }
    };
    handle().then(() => next(), (e: Error) => ex.destroy(e));
  });
  try {
    await pipeline(createReadStream(file), createGunzip(), ex);
  } catch (e) {
    if (e instanceof PackageError) throw e;
    throw new PackageError(`cannot unpack the .tgz package: ${(e as Error).message}`);
  }
  if (files === 0) throw new PackageError('the package contains no files below its top directory');
  return files;
}

/** Minimal zip reader (central directory; stored and deflated entries) for `.war` packages. */
export async function extractZip(file: string, dest: string): Promise<number> {
  const buf = await readFile(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new PackageError('the .war package is not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let files = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new PackageError('corrupt zip central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    const target = inside(dest, name);
    if (!target) throw new PackageError(`zip entry ${JSON.stringify(name)} leaves the package directory`);
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new PackageError(`corrupt zip entry ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + compressed);
    let content: Buffer;
    if (method === 0) content = data;
    else if (method === 8) content = inflateRawSync(data);
    else throw new PackageError(`zip entry ${name} uses unsupported compression method ${method}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content, { mode: 0o644 });
    files++;
  }
  if (files === 0) throw new PackageError('the .war package contains no files');
  return files;
}

/** Unpacks the package into `<context>/root/usr/local/server/bin`, where the base images expect it. */
export async function unpackPackage(file: string, ext: '.tgz' | '.war' | '.jar', contextDir: string): Promise<number> {
  const bin = join(contextDir, 'root', 'usr', 'local', 'server', 'bin');
  await mkdir(bin, { recursive: true });
  if (ext === '.tgz') return extractTgz(file, bin);
  if (ext === '.war') return extractZip(file, bin);
  await copyFile(file, join(bin, basename(file)));
  return 1;
}

/** The Dockerfile tarsimage generates (§9.10), unchanged. */
export function dockerfile(baseImage: string, serverType: string): string {
  return `FROM ${baseImage}\nENV ServerType=${serverType}\nCOPY root /\n`;
}
