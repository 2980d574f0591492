// Test and benchmark fixtures (subpath `@tars-ts/rpc/testing`): not part of the runtime API.
// The official @tars/rpc peers are in `@tars-ts/rpc/testing/official` (they load @tars/rpc).
export { EchoDescriptor, EchoProxy, EchoServant, SAMPLE_ENDPOINTS } from './echo-service.ts';
export { rawConnect, requestFrame, argBlock, memoryLogger, sleep, type RawConn } from './raw-client.ts';
export { freePort } from './ports.ts';
