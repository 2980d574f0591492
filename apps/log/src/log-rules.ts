/**
 * What the server's config decides about remote logs (reloadable with `reloadLogFormat`):
 * - `/tars/log/format<hour>` = "App.Server|App.Server2": these servers' logs roll hourly
 *   (format `%Y%m%d%H`), whatever the client asked;
 * - domain `/tars/log/logtype`: `<type> = app.server.file|...` forces that log type (and its
 *   default name format) on those files;
 * - `/tars/log<ipfix>` (default true): prefix each line with the caller's node name.
 * Lists split on "|", ";" or ",", as upstream's TC_Common::sepstr.
 */
import type { TarsConfig } from '@tars-ts/service';

export interface LogRules {
  hourly: ReadonlySet<string>;
  /** `app.server.file` → log type text. */
  logTypes: ReadonlyMap<string, string>;
  ipPrefix: boolean;
}

export const DEFAULT_LOG_RULES: LogRules = { hourly: new Set(), logTypes: new Map(), ipPrefix: true };

const splitList = (text: string | undefined) => (text ?? '').split(/[|;,]/).map((s) => s.trim()).filter(Boolean);

export function logRulesFromConfig(config: TarsConfig): LogRules {
  const hourly = new Set(splitList(config.get('/tars/log/format<hour>')));
  const logTypes = new Map<string, string>();
  for (const [type, list] of Object.entries(config.getDomainMap('/tars/log/logtype'))) {
    for (const key of splitList(list)) logTypes.set(key, type.trim());
  }
  const ipPrefix = (config.get('/tars/log<ipfix>') ?? 'true').trim().toLowerCase() === 'true';
  return { hourly, logTypes, ipPrefix };
}

export function describeRules(rules: LogRules): string {
  const types = [...rules.logTypes].map(([k, v]) => `${k}=${v}`).join(',');
  return `hour: ${[...rules.hourly].join('|') || '(none)'}; logtype: ${types || '(none)'}; ipfix: ${rules.ipPrefix}`;
}
