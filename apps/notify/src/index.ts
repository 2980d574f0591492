// @tars-ts/app-notify: what the standalone app starts in-process.
export {
  createNotifyService,
  startNotifyService,
  NOTIFY_SERVANT,
  NOTIFY_DEFAULT_ENDPOINT,
  type NotifyService,
  type NotifyServiceOptions,
  type RunningNotifyService,
} from './notify-service.ts';
export { NotifyServant, type NotifyCounters, type PodNameOf } from './notify-servant.ts';
export { LegacyNotifyDescriptor } from './legacy-notify-descriptor.ts';
export { parseNotifyLimit, DEFAULT_NOTIFY_LIMIT, type NotifyLimit } from './rate-limit.ts';
export { levelFromEnum, levelFromText } from './notify-levels.ts';
