export { APPS, BASE_IMAGE_NAME, appExists, appSpec, isAppName, type AppName, type AppSpec } from './apps.ts';
export { BASE_UID, ensureBase, type BaseImage, type BaseOptions } from './base.ts';
export { Buildah, cacheRoot, type ImageConfig, type LocalImage } from './buildah.ts';
export { buildImage, pushImage, type BuildOptions, type BuiltImage } from './build.ts';
export { bundleApp, copyPackages, NATIVE_PACKAGES, packageOf, type BundleResult } from './bundle.ts';
export { inspectRemote, isLoopback, startRegistry, type LocalRegistry, type RemoteImage } from './registry.ts';
export { humanBytes, sizeTable, type SizeRow } from './sizes.ts';
