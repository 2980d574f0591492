// @tars-ts/app-node: the node agent as a library, for the standalone app (embed the agent, or
// spawn `tarsnode run`), and the pure pieces other apps may reuse.
export { startNodeAgent, prepareLaunch, legacyNotify, SERVER_OBJ, NODE_OBJ, DEFAULT_SERVER_OBJ_ENDPOINT } from './agent.ts';
export type { NodeAgent, NodeAgentOptions, ServerPaths, NotifyPort } from './agent.ts';
export { StaticRegistry, TarsRegistryClient, DescriptorError, type RegistryPort } from './registry-client.ts';
export { localDescriptor, baseProfile, type LocalServant } from './local-descriptor.ts';
export { renderServerConfig, describeServerConfig, replaceMacros, mainClassOf, DEFAULT_HEART_TIMEOUT_MS, type RenderContext, type RenderedConfig } from './config-render.ts';
export { joinConfig, joinTemplateChain, TemplateChainError, type TemplateSource } from './config-merge.ts';
export { MemoryExitSink, JsonLinesExitSink, callbackExitSink, describeExit, type ExitRecordSink } from './exit-records.ts';
export { step, initialState, backoffDelay } from './supervisor.ts';
export type { ExitRecord, ExitReason, SupervisorOptions, SupervisorState, SupervisorEvent, SupervisorEffect, PresentState, SettingState } from './supervisor.ts';
export { LegacyNotifyDescriptor, LegacyNotifyProxy, LegacyNotifyServant } from './legacy-notify.ts';
export { parseArgs, USAGE, UsageError, type CliArgs, type RunArgs, type PodArgs } from './args.ts';
export { runOptions, podOptions, readNodeConf, foregroundLocal } from './cli.ts';
export { launchCommand, shellLine, LauncherError } from './launcher.ts';
export { podEnvironment, ensureHostsEntries, linkServerPackage } from './pod-setup.ts';
