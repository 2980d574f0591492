// @tars-ts/rpc: Tars RPC runtime (servers, client proxies, endpoints, locator).
export type { ValueCodec, ParamDescriptor, MethodDescriptor, InterfaceDescriptor, CallOptions, Current } from './types.ts';
export * from './codes.ts';
export { TarsError, TimeoutError, ConnectionError, NoEndpointError, ServerError, ClientDecodeError } from './errors.ts';
export { type Logger, silentLogger, stderrLogger } from './logger.ts';
export {
  type Endpoint,
  type Transport,
  type ProxyTarget,
  EndpointSyntaxError,
  parseEndpoint,
  parseEndpoints,
  formatEndpoint,
  endpointKey,
  parseProxyString,
} from './endpoint.ts';
export { Servant, servantDescriptor } from './servant.ts';
export { ServantProxy, type Invoker, type ProxyClass } from './servant-proxy.ts';
export { TarsServer, createServer, type ServerOptions } from './server/server.ts';
export { Adapter, type AdapterOptions, type AdapterStats } from './server/adapter.ts';
export { Communicator, type CommunicatorOptions } from './client/communicator.ts';
export { ObjectProxy } from './client/object-proxy.ts';
