// tarscontroller: one image, two roles. `controller` reconciles (while it holds the Lease);
// `webhook` serves admission and conversion over HTTPS. See README.md for flags.
import { ServiceLogger, Shutdown } from '@tars-ts/service';
import { FlagError, USAGE, parseFlags } from './flags.ts';
import { runController, runWebhook } from './roles.ts';

let flags;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
  process.exit(e instanceof FlagError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
}
const logger = new ServiceLogger({ level: flags.logLevel.toUpperCase(), console: true });
const shutdown = new Shutdown({ logger }).install();
try {
  const running = flags.role === 'controller' ? await runController(flags, logger) : await runWebhook(flags, logger);
  shutdown.onStop(flags.role, () => running.stop());
  void running.ended.then(async (why) => {
    logger.warn(`${flags.role} ended: ${why}; exiting`);
    process.exit(await shutdown.shutdown(why));
  });
} catch (e) {
  logger.error(`${flags.role} failed to start: ${(e as Error).message}`);
  process.exit(1);
}
