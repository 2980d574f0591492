// @tars-ts/monitoring: what the monitoring services (stat, property, querystat, queryproperty, notify, kevent) share.
export { storeConfigFrom, StoreConfigError, type OwnIndex } from './store-config.ts';
export { MonitorQueryImp, monitorQueryServant, toStoreQuery, type QueryKind, type QueryStore, type RunQuery } from './monitor-query-servant.ts';
export { WindowFlusher, type MinuteWindow, type WindowFlusherOptions, type WindowSource } from './window-flusher.ts';
export {
  serveServant,
  serveService,
  windowedService,
  type HostlessService,
  type ServedServant,
  type ServeOptions,
  type WindowAggregator,
  type WindowedService,
} from './serve.ts';
