// tarslog process: `node src/main.ts --config=tarslog.conf`. Serves tars.tarslog.LogObj, writing
// remote logs under /tars/log<logpath>. See README.md for config keys and the file layout.
import { ServiceHost, TarsConfig, configPathFrom } from '@tars-ts/service';
import { createLogService, LOG_DEFAULT_ENDPOINT, LOG_DEFAULT_PATH, LOG_SERVANT } from './log-service.ts';
import { describeRules, logRulesFromConfig } from './log-rules.ts';
import { registerReloadLogFormat } from './log-admin.ts';

const host = await ServiceHost.start({ app: 'tars', server: 'tarslog', version: '0.1.0' });
try {
  const logPath = host.config.get('/tars/log<logpath>') || LOG_DEFAULT_PATH;
  const log = createLogService({ logPath, logger: host.logger, rules: logRulesFromConfig(host.config) });
  host.onStop('close log files', () => log.stop());
  host.logger.info(`remote logs under ${log.files.root}; ${describeRules(log.rules())}`);

  // As upstream: re-read the config file (or keep the one given at start when there is no file).
  registerReloadLogFormat(host.admin, log, async () => {
    const file = configPathFrom(process.argv, process.env);
    return file ? TarsConfig.load(file) : host.config;
  });

  const configured = host.serverConfig.adapters.some((a) => a.servant === LOG_SERVANT);
  host.addServant(log.servant, LOG_SERVANT, configured ? undefined : LOG_DEFAULT_ENDPOINT);
  host.metrics.gauge('tars_log_lines', 'remote log lines and calls by outcome, since start', ['outcome'], function () {
    const c = log.counters();
    this.set({ outcome: 'written' }, c.lines);
    this.set({ outcome: 'calls' }, c.calls);
    this.set({ outcome: 'refused_calls' }, c.refused);
    this.set({ outcome: 'failed_calls' }, c.failed);
  });
  await host.listen();
} catch (e) {
  host.logger.error(`tarslog failed to start: ${(e as Error).message}`);
  await host.stop('start failed');
}
