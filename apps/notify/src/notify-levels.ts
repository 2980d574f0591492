/**
 * The level tag a notification is stored with (framework-services.md §5.2, both editions).
 * Framework messages carry their level in the text ("[alarm] ...", "[error] ..."); business
 * alarms carry it in the NOTIFYLEVEL enum.
 */
import { NotifyF } from '@tars-ts/interfaces';

export type NotifyLevelTag = '[alarm]' | '[error]' | '[warn]' | '[normal]';

// Checked in this order; the first tag the text contains wins ("[fail]" is stored as an error).
const TEXT_TAGS: ReadonlyArray<readonly [string, NotifyLevelTag]> = [
  ['[alarm]', '[alarm]'],
  ['[error]', '[error]'],
  ['[warn]', '[warn]'],
  ['[fail]', '[error]'],
];

export function levelFromText(message: string): NotifyLevelTag {
  for (const [needle, tag] of TEXT_TAGS) if (message.includes(needle)) return tag;
  return '[normal]';
}

/** Unknown numbers (a newer client, a corrupt field) count as normal, as upstream does. */
export function levelFromEnum(level: number): NotifyLevelTag {
  if (level === NotifyF.NOTIFYLEVEL.NOTIFYERROR) return '[error]';
  if (level === NotifyF.NOTIFYLEVEL.NOTIFYWARN) return '[warn]';
  return '[normal]';
}
