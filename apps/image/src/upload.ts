/**
 * Reads the multipart upload: the text fields and one package file, streamed to disk. Bounded:
 * the whole request may not exceed `maxBytes` (upstream parsed 150 MB in memory; we stream and
 * refuse beyond the limit with 413), at most 1 file and 32 fields. A refused upload leaves no file.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { BadRequestError } from './form.ts';

export interface UploadedForm {
  fields: Map<string, string>;
  /** Set when the request had a `ServerFile` part. */
  file?: { fileName: string; path: string; size: number };
}

export interface ReadUploadOptions {
  maxBytes: number;
  /** Where the package goes; called once, with the client's file name (only for its extension). */
  destination(fileName: string): string;
}

export async function readUpload(req: IncomingMessage, options: ReadUploadOptions): Promise<UploadedForm> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBytes) throw new BadRequestError(`upload of ${declared} bytes exceeds the limit of ${options.maxBytes} bytes`, 413);
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw new BadRequestError('expected a multipart/form-data body');

  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fileSize: options.maxBytes, files: 1, fields: 32, fieldSize: 4096, parts: 40 } });
  } catch (e) {
    throw new BadRequestError(`bad multipart request: ${(e as Error).message}`);
  }
  const fields = new Map<string, string>();
  let file: UploadedForm['file'];
  let failure: Error | undefined;
  const writes: Promise<void>[] = [];
  let received = 0;
  let activeFile: NodeJS.ReadableStream & { destroy(e?: Error): void } | undefined;

  let finished!: () => void;
  const parsed = new Promise<void>((resolve) => (finished = resolve));
  const fail = (e: Error) => {
    failure ??= e;
    // Too big: stop reading now (the caller answers 413 and closes the connection).
    if (e instanceof BadRequestError && e.status === 413) {
      req.unpipe(bb);
      req.pause();
      activeFile?.destroy(e);
      finished();
    }
  };
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > options.maxBytes) fail(new BadRequestError(`upload exceeds the limit of ${options.maxBytes} bytes`, 413));
  });
  bb.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(new BadRequestError(`field ${name} is too long`));
    fields.set(name, value);
  });
  bb.on('file', (name, stream, info) => {
    if (name !== 'ServerFile' || file || failure) {
      if (name !== 'ServerFile') fail(new BadRequestError(`unexpected file field ${name}: the package goes in ServerFile`));
      stream.resume();
      return;
    }
    const path = options.destination(info.filename ?? '');
    const entry = { fileName: info.filename ?? '', path, size: 0 };
    file = entry;
    activeFile = stream;
    stream.on('data', (c: Buffer) => (entry.size += c.length));
    stream.on('limit', () => fail(new BadRequestError(`ServerFile exceeds the limit of ${options.maxBytes} bytes`, 413)));
    writes.push(pipeline(stream, createWriteStream(path, { mode: 0o600 })).catch(fail));
  });
  bb.on('filesLimit', () => fail(new BadRequestError('only one file (ServerFile) may be uploaded')));
  bb.on('fieldsLimit', () => fail(new BadRequestError('too many fields')));
  bb.on('partsLimit', () => fail(new BadRequestError('too many parts')));

  // Not pipeline(): on error it would destroy the request's socket before we can answer.
  bb.on('close', finished);
  bb.on('error', (e: Error) => {
    fail(new BadRequestError(`bad multipart request: ${e.message}`));
    finished();
  });
  req.on('error', (e: Error) => {
    fail(new BadRequestError(`upload interrupted: ${e.message}`));
    finished();
  });
  req.pipe(bb);
  await parsed;
  await Promise.all(writes);
  if (failure) {
    if (file) await rm(file.path, { force: true });
    throw failure;
  }
  return { fields, file };
}
