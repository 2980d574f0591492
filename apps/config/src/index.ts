// tarsconfig as a library: what main.ts and the standalone app start.
export { startConfigService, ConfigCore, CONFIG_OBJ, type StartConfigOptions, type ConfigCoreOptions, type RunningConfigService } from './config-service.ts';
export { ConfigServant, type ConfigServantDeps } from './config-servant.ts';
export { ConfigIndex } from './config-index.ts';
export { mergeConfig, listNames, isServed, joinParts, MERGE_SEPARATOR, type MergeResult } from './config-merge.ts';
export { PodDirectory, podSeqOf, normalizeIp } from './pod-seq.ts';
export { LoadLimiter, RATE_LIMITED, type RateLimitOptions } from './rate-limit.ts';
export { configNameProblem, appServerProblem, splitAppServer } from './names.ts';
