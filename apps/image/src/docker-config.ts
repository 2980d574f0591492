/**
 * Registry credentials for a build: the `auths` of the `.dockerconfigjson` of the base image's
 * secret and the push secret, merged into one `config.json` (upstream "preparing secret"); the
 * push secret wins for a registry named in both.
 */
export interface DockerConfig {
  auths: Record<string, { auth?: string; username?: string; password?: string }>;
}

export interface SecretReader {
  /** The decoded `.dockerconfigjson` of a secret; throws when missing or of another type. */
  dockerConfig(name: string): Promise<DockerConfig>;
}

export function parseDockerConfig(json: string, what: string): DockerConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`${what}: .dockerconfigjson is not JSON`);
  }
  const auths = (parsed as { auths?: unknown })?.auths;
  if (auths === null || typeof auths !== 'object' || Array.isArray(auths)) throw new Error(`${what}: .dockerconfigjson has no auths`);
  return { auths: auths as DockerConfig['auths'] };
}

export async function mergedDockerConfig(reader: SecretReader, names: (string | undefined)[]): Promise<DockerConfig> {
  const merged: DockerConfig = { auths: {} };
  for (const name of names) {
    if (!name) continue;
    Object.assign(merged.auths, (await reader.dockerConfig(name)).auths);
  }
  return merged;
}

/** `user:password` for a registry host from a merged config (what buildah --creds takes). */
export function credentialsFor(config: DockerConfig, registryHost: string): { username: string; password: string } | undefined {
  const strip = (k: string) => k.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  for (const [key, entry] of Object.entries(config.auths)) {
    if (strip(key) !== registryHost) continue;
    if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
    }
  }
  return undefined;
}

/** Registry host of an image reference (`docker.io` when the first component is not a host). */
export function registryHost(image: string): string {
  const first = image.split('/')[0]!;
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}
