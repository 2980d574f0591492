// @tars-ts/app-property: what the standalone app starts in-process.
export { createPropertyService, startPropertyService, PROPERTY_SERVANT, PROPERTY_DEFAULT_ENDPOINT, type PropertyService, type PropertyServiceOptions, type RunningPropertyService } from './property-service.ts';
export { PropertyAggregator, propertyRows, type PropertyCounters, type PropertyWindow } from './property-aggregator.ts';
