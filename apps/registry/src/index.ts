// tarsregistry as a library: what main.ts and the standalone app start.
export { startRegistry, RegistryCore, type StartRegistryOptions, type RegistryCoreOptions, type RunningRegistry } from './registry-service.ts';
export { EndpointIndex, QUERY_OBJ, REGISTRY_OBJ, type EndpointIndexOptions, type FixedEndpoint } from './endpoint-index.ts';
export { EndpointList, EMPTY_ANSWER, type Answer } from './endpoint-list.ts';
export { QueryServant, type EndpointSource } from './query-servant.ts';
export { RegistryServant, type RegistryDeps } from './registry-servant.ts';
export { buildServerDescriptor } from './server-descriptor.ts';
export { parseObjectId, endpointNameOf, type ObjectId } from './object-id.ts';
