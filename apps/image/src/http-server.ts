/**
 * The upload API (§9.10): `POST /api/{version}/timage/{timage}/building[?wait=1|true]`.
 * Answers `{handler, status, message, result: {id, image, secret, source}}`: 201 when queued,
 * 200 when waited for and built, 4xx/5xx otherwise. With `wait` and `Accept:
 * application/x-ndjson` (or `stream=1`) the progress is streamed as NDJSON lines
 * `{"phase","message"}` and the last line is the answer object.
 */
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { DNS1123_SUBDOMAIN } from '@tars-ts/api';
import { authorized, type UploadAuth } from './auth.ts';
import type { BuildEngine, TaskResult } from './build-engine.ts';
import { BadRequestError, packageExtension, parseBuildForm } from './form.ts';
import { readUpload } from './upload.ts';

export const DEFAULT_MAX_UPLOAD_BYTES = 150 * 1024 * 1024;

export interface ImageHttpOptions {
  engine: BuildEngine;
  auth: UploadAuth;
  podName: string;
  /** Packages are stored here while their task runs. */
  uploadDir: string;
  maxUploadBytes?: number;
  logger: { info(m: string): void; warn(m: string): void };
}

interface Answer {
  handler: string;
  status: number;
  message: string;
  result?: TaskResult;
}

const ROUTE = /^\/api\/(v1beta[1-9])\/timage\/([^/]+)\/building\/?$/;
const TIMAGE = new RegExp(DNS1123_SUBDOMAIN);

function send(res: ServerResponse, answer: Answer, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(answer);
  res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function isTrue(v: string | null): boolean {
  return v === '1' || v === 'true';
}

export function createImageServer(options: ImageHttpOptions): Server {
  const maxBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const fail = (status: number, message: string): Answer => ({ handler: options.podName, status, message });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = ROUTE.exec(url.pathname);
    if (!route) return send(res, fail(404, `no route ${url.pathname}`));
    if (req.method !== 'POST') return send(res, fail(405, 'use POST'), { Allow: 'POST' });
    // Refuse before reading a byte of the body.
    if (!authorized(options.auth, req.headers)) return send(res, fail(401, 'unauthorized: send Authorization: Bearer <token> (or the token as the Basic password)'), { 'WWW-Authenticate': 'Bearer realm="tarsimage", Basic realm="tarsimage"' });
    const timage = decodeURIComponent(route[2]!);
    if (!TIMAGE.test(timage) || timage.length > 253) return send(res, fail(400, `timage name ${JSON.stringify(timage)} is not valid`));

    await mkdir(options.uploadDir, { recursive: true });
    let stored: string | undefined;
    const upload = await readUpload(req, {
      maxBytes,
      destination: (fileName) => {
        stored = join(options.uploadDir, `upload-${process.hrtime.bigint()}${packageExtension(fileName) ?? '.bad'}`);
        return stored;
      },
    });
    let started = false;
    try {
      const form = parseBuildForm(upload.fields);
      if (!upload.file) throw new BadRequestError('field ServerFile (the package) is required');
      const ext = packageExtension(upload.file.fileName);
      if (!ext) throw new BadRequestError(`ServerFile ${JSON.stringify(upload.file.fileName)} must be a .tgz/.tar.gz, .war or .jar package`);
      if (upload.file.size === 0) throw new BadRequestError('ServerFile is empty');
      const task = await options.engine.submit(timage, form, { path: upload.file.path, ext });
      started = true;
      options.logger.info(`task ${task.result.id}: ${form.serverApp}.${form.serverName} ${upload.file.size} bytes → ${task.result.image}`);
      if (!isTrue(url.searchParams.get('wait'))) return send(res, { handler: options.podName, status: 201, message: 'created', result: task.result });

      const stream = isTrue(url.searchParams.get('stream')) || /application\/x-ndjson/.test(req.headers.accept ?? '');
      if (!stream) {
        const end = await task.done;
        return send(res, { handler: options.podName, status: end.ok ? 200 : 500, message: end.ok ? 'succ' : end.message, result: task.result });
      }
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-cache' });
      const stop = task.follow((e) => res.write(`${JSON.stringify(e)}\n`));
      const end = await task.done;
      stop();
      res.end(`${JSON.stringify({ handler: options.podName, status: end.ok ? 200 : 500, message: end.ok ? 'succ' : end.message, result: task.result })}\n`);
    } finally {
      if (!started && stored) await rm(stored, { force: true });
    }
  }

  return createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      const status = e instanceof BadRequestError ? e.status : 500;
      if (status >= 500) options.logger.warn(`${req.method} ${req.url}: ${e.message}`);
      if (res.headersSent) return void res.end();
      // A refused upload may still be arriving: answer, then close instead of reading it all.
      if (!req.complete) res.setHeader('Connection', 'close');
      send(res, fail(status, e.message));
      if (!req.complete) res.on('finish', () => req.destroy());
    });
  });
}
