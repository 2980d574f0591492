// @tars-ts/app-querystat: what the standalone app starts in-process.
export { createStatQueryServant, startStatQueryService, QUERYSTAT_SERVANT, QUERYSTAT_DEFAULT_ENDPOINT, type StatQueryServiceOptions, type RunningStatQueryService } from './querystat-service.ts';
export { MonitorQueryImp, toStoreQuery } from '@tars-ts/monitoring';
