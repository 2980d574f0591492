// A server package as tarsweb uploads it (the registry fixtures are in @tars-ts/local-registry).
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** A server package as tarsweb uploads it: `<Server>/<files>` gzipped. */
export async function serverPackage(server: string, files: Record<string, string>, extra: { name: string; type: 'symlink'; linkname: string }[] = []): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name: `${server}/${name}`, mode: 0o755 }, content);
  for (const e of extra) pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}
