// One place for buildah's storage flags. Images live in a store outside the repo
// (/var/cache/tars-images by default) so the base and unchanged layers survive between runs.
// The overlay driver is 5-10x faster than vfs (which copies the whole root filesystem for every
// layer and container) but needs kernel overlayfs on a filesystem that is not itself overlayfs;
// vfs is the fallback. Chroot isolation needs no user namespaces.
import { accessSync, constants, mkdirSync, readFileSync, statfsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { run } from './exec.ts';

/** TARS_IMAGES_CACHE, else /var/cache/tars-images when writable, else ~/.cache/tars-images. */
export function cacheRoot(): string {
  const fromEnv = process.env.TARS_IMAGES_CACHE;
  if (fromEnv) return fromEnv;
  const system = '/var/cache/tars-images';
  try {
    mkdirSync(system, { recursive: true });
    accessSync(system, constants.W_OK);
    return system;
  } catch {
    return join(homedir(), '.cache', 'tars-images');
  }
}

const OVERLAYFS_MAGIC = 0x794c7630;

/** TARS_IMAGES_DRIVER, else overlay where the kernel offers it under a non-overlay cache dir. */
export function storageDriver(root: string): 'overlay' | 'vfs' {
  const fromEnv = process.env.TARS_IMAGES_DRIVER;
  if (fromEnv === 'overlay' || fromEnv === 'vfs') return fromEnv;
  try {
    const kernel = /\boverlay$/m.test(readFileSync('/proc/filesystems', 'utf8'));
    mkdirSync(root, { recursive: true });
    return kernel && statfsSync(root).type !== OVERLAYFS_MAGIC ? 'overlay' : 'vfs';
  } catch {
    return 'vfs';
  }
}

export class Buildah {
  readonly root: string;
  readonly driver: 'overlay' | 'vfs';
  constructor(root = cacheRoot(), driver = storageDriver(root)) {
    this.root = root;
    this.driver = driver;
  }

  private flags(): string[] {
    // One store per driver: a store cannot change driver once created.
    return ['--storage-driver', this.driver, '--root', join(this.root, `storage-${this.driver}`), '--runroot', join(this.root, `run-${this.driver}`)];
  }

  run(args: string[]): Promise<string> {
    return run(['buildah', ...this.flags(), ...args]);
  }

  /** True when an image with this exact name:tag is in the store. */
  async hasImage(ref: string): Promise<boolean> {
    try {
      await this.run(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', ref]);
      return true;
    } catch {
      return false;
    }
  }

  /** The image as buildah records it: config (OCIv1) and manifest with uncompressed layer sizes. */
  async inspectImage(ref: string): Promise<LocalImage> {
    const raw = JSON.parse(await this.run(['inspect', '--type', 'image', ref]));
    const manifest = JSON.parse(raw.Manifest) as { layers: { digest: string; size: number }[] };
    return { id: raw.FromImageID, config: raw.OCIv1.config ?? {}, layers: manifest.layers };
  }
}

export interface ImageConfig {
  User?: string;
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  Labels?: Record<string, string>;
}

export interface LocalImage {
  id: string;
  config: ImageConfig;
  layers: { digest: string; size: number }[];
}
