// @tars-ts/app-queryproperty: what the standalone app starts in-process.
export { createPropertyQueryServant, startPropertyQueryService, QUERYPROPERTY_SERVANT, QUERYPROPERTY_DEFAULT_ENDPOINT, type PropertyQueryServiceOptions, type RunningPropertyQueryService } from './queryproperty-service.ts';
export { MonitorQueryImp, toStoreQuery } from '@tars-ts/monitoring';
