/**
 * The admin command upstream LogServer registers: `reloadLogFormat` re-reads the config file and
 * applies its hour list and log types (and ipfix) to the following calls.
 */
import type { AdminCommands, TarsConfig } from '@tars-ts/service';
import { describeRules, logRulesFromConfig } from './log-rules.ts';
import type { LogService } from './log-service.ts';

export function registerReloadLogFormat(admin: AdminCommands, log: Pick<LogService, 'setRules' | 'rules'>, loadConfig: () => Promise<TarsConfig>): void {
  admin.register(
    'reloadLogFormat',
    async () => {
      try {
        log.setRules(logRulesFromConfig(await loadConfig()));
        return `loadLogFormat succ: ${describeRules(log.rules())}`;
      } catch (e) {
        // the old rules stay in force
        return `loadLogFormat failed: ${(e as Error).message}`;
      }
    },
    'reload /tars/log/format<hour>, /tars/log/logtype and ipfix from the config file',
  );
}
