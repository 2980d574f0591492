/**
 * tarsimage settings: upstream's environment (`PodName`, `WorkSpaceInPod`, `WorkSpaceInHost`)
 * plus our `<image>` domain of the Tars config file (documented in README.md).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { TarsConfig } from '@tars-ts/service';
import { parseTokens, type UploadAuth } from './auth.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from './http-server.ts';

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export interface ImageSettings {
  podName: string;
  host: string;
  port: number;
  workspaceInPod: string;
  workspaceInHost: string;
  uploadDir: string;
  buildDir: string;
  builder: 'kaniko' | 'buildah';
  auth: UploadAuth;
  maxUploadBytes: number;
  buildah: { root?: string; runroot?: string; storageDriver?: 'overlay' | 'vfs' };
}

const D = '/tars/image';

export function imageSettings(config: TarsConfig, env: NodeJS.ProcessEnv = process.env): ImageSettings {
  const podName = env.PodName || hostname();
  const workspaceInPod = env.WorkSpaceInPod || '/workspace';
  const workspaceInHost = env.WorkSpaceInHost || '/usr/local/app/tars/image_build';
  const listen = config.get(`${D}<listen>`, '0.0.0.0:80');
  const m = /^(.*):(\d{1,5})$/.exec(listen);
  if (!m || Number(m[2]) > 65535) throw new SettingsError(`${D}<listen> must be host:port, got ${JSON.stringify(listen)}`);
  const builder = config.get(`${D}<builder>`) || (env.KUBERNETES_SERVICE_HOST ? 'kaniko' : 'buildah');
  if (builder !== 'kaniko' && builder !== 'buildah') throw new SettingsError(`${D}<builder> must be kaniko or buildah, got ${JSON.stringify(builder)}`);

  const authMode = config.get(`${D}<auth>`, 'tokens');
  let auth: UploadAuth;
  if (authMode === 'none') auth = { kind: 'none' };
  else if (authMode === 'tokens') {
    const file = config.get(`${D}<tokens-file>`);
    const tokens = [...parseTokens(env.TARS_IMAGE_TOKENS ?? ''), ...(file ? parseTokens(readFileSync(file, 'utf8')) : [])];
    if (tokens.length === 0) throw new SettingsError(`no upload tokens: set ${D}<tokens-file> or TARS_IMAGE_TOKENS, or ${D}<auth>=none to accept anyone (upstream behaviour)`);
    auth = { kind: 'tokens', tokens };
  } else throw new SettingsError(`${D}<auth> must be tokens or none, got ${JSON.stringify(authMode)}`);

  const driver = config.get(`${D}<buildah-storage-driver>`);
  if (driver && driver !== 'overlay' && driver !== 'vfs') throw new SettingsError(`${D}<buildah-storage-driver> must be overlay or vfs`);
  return {
    podName,
    host: m[1] || '0.0.0.0',
    port: Number(m[2]),
    workspaceInPod,
    workspaceInHost,
    uploadDir: join(workspaceInPod, 'upload', podName),
    buildDir: join(workspaceInPod, 'build', podName),
    builder,
    auth,
    maxUploadBytes: config.getSize(`${D}<max-upload>`, DEFAULT_MAX_UPLOAD_BYTES),
    buildah: { root: config.get(`${D}<buildah-root>`) || undefined, runroot: config.get(`${D}<buildah-runroot>`) || undefined, storageDriver: (driver || undefined) as 'overlay' | 'vfs' | undefined },
  };
}
