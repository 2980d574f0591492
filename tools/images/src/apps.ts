// The apps that get an image, and the image names they are published under. Names follow the
// upstream charts (`<registry>/tars.<server>:<tag>` for framework services, `<registry>/
// tarscontroller:<tag>` for the controller) so TFrameworkConfig and tarsweb defaults still fit.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const APPS = [
  'controller', 'registry', 'config', 'notify', 'log', 'stat', 'property', 'querystat',
  'queryproperty', 'image', 'kaniko-driver', 'kevent', 'node', 'agent', 'standalone',
] as const;
export type AppName = (typeof APPS)[number];

const IMAGE_NAMES: Record<AppName, string> = {
  controller: 'tarscontroller',
  registry: 'tars.tarsregistry',
  config: 'tars.tarsconfig',
  notify: 'tars.tarsnotify',
  log: 'tars.tarslog',
  stat: 'tars.tarsstat',
  property: 'tars.tarsproperty',
  querystat: 'tars.tarsquerystat',
  queryproperty: 'tars.tarsqueryproperty',
  image: 'tars.tarsimage',
  'kaniko-driver': 'tars.tarskaniko',
  kevent: 'tars.tarskevent',
  node: 'tars.tarsnode',
  agent: 'tarsagent',
  standalone: 'tars.standalone',
};

export const BASE_IMAGE_NAME = 'tars.base';

/** Everything buildImage needs to know about one app; fixtures build their own. */
export interface AppSpec {
  name: string;
  /** Repository name without registry or tag, e.g. `tars.tarsstat`. */
  image: string;
  /** The TypeScript entry point esbuild bundles. */
  entry: string;
  /** The Containerfile; its build context is prepared by buildImage. */
  containerfile: string;
}

/** The repository root: tools/images/src → ../../.. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export function isAppName(name: string): name is AppName {
  return (APPS as readonly string[]).includes(name);
}

export function appSpec(name: AppName, root = REPO_ROOT): AppSpec {
  return {
    name,
    image: IMAGE_NAMES[name],
    entry: join(root, 'apps', name, 'src', 'main.ts'),
    containerfile: join(root, 'docker', name, 'Containerfile'),
  };
}

/** Whether the app's source exists yet (apps are written in parallel with the images). */
export function appExists(spec: AppSpec): boolean {
  return existsSync(spec.entry);
}
