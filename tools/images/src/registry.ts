// `skopeo inspect` of what was pushed to any registry; the throwaway loopback registry for tests
// and local pushes is @tars-ts/local-registry's.
import type { ImageConfig } from './buildah.ts';
import { run } from './exec.ts';

export { startRegistry, type LocalRegistry } from '@tars-ts/local-registry';

export interface RemoteImage {
  mediaType: string;
  config: ImageConfig;
  /** Layer blobs as stored in the registry (compressed sizes). */
  layers: { digest: string; size: number; mediaType: string }[];
}

/** TLS is skipped only for loopback registries, the ones this tool starts. */
export function isLoopback(registry: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(registry);
}

export async function inspectRemote(ref: string): Promise<RemoteImage> {
  const tls = `--tls-verify=${!isLoopback(ref)}`;
  const manifest = JSON.parse(await run(['skopeo', 'inspect', tls, '--raw', `docker://${ref}`]));
  const config = JSON.parse(await run(['skopeo', 'inspect', tls, '--config', `docker://${ref}`]));
  if (!Array.isArray(manifest.layers)) throw new Error(`${ref}: expected an image manifest, got ${manifest.mediaType}`);
  return { mediaType: manifest.mediaType, config: config.config ?? {}, layers: manifest.layers };
}
