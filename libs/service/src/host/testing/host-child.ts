// A minimal app for service-host.test.ts: a ServiceHost from `--config=FILE` with one stop hook.
// Prints "ready" once listening, then waits for SIGTERM (or AdminF.shutdown).
import { ServiceHost } from '../service-host.ts';

const host = await ServiceHost.start({ version: 'child-1' });
host.onStop('app', async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  host.logger.info('app stopped');
});
await host.listen();
process.stdout.write(`ready ${host.monitor?.port ?? 0}\n`);
