// `npm start`: the whole framework in this process (see README.md), or `call-demo`.
import { ServiceLogger, Shutdown } from '@tars-ts/service';
import { parseArgs, USAGE, UsageError, type StartArgs } from './args.ts';
import { callDemo, DEMO_OBJ, demoLocator } from './call-demo.ts';
import { startStandalone } from './standalone.ts';

async function start(args: StartArgs): Promise<void> {
  const logger = new ServiceLogger({ console: true, level: args.logLevel });
  const t0 = performance.now();
  logger.info(`tars standalone: data ${args.dataDir}, port base ${args.portBase}, listening on ${args.host}`);
  const shutdown = new Shutdown({ logger, deadlineMs: 25_000 }).install();
  const starting = startStandalone({
    dataDir: args.dataDir,
    manifestsDir: args.manifestsDir,
    portBase: args.portBase,
    host: args.host,
    servers: args.servers,
    logger,
  });
  // Registered before start-up finishes: Ctrl-C while starting waits for it, then stops it all.
  shutdown.onStop('standalone', async () => {
    const started = await starting.catch(() => undefined);
    const outcome = await started?.stop();
    if (outcome && outcome.exitCode !== 0) throw new Error(`could not stop: ${outcome.failed.join(', ') || outcome.timedOut}`);
  });
  let s;
  try {
    s = await starting;
  } catch (e) {
    if (shutdown.stopping) return;
    logger.error(`start-up failed: ${(e as Error).message}`);
    process.exit(1);
  }
  if (shutdown.stopping) return;
  const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const composed = Math.round(performance.now() - t0);
  logger.info(`ready in ${composed} ms (${Math.round(performance.now())} ms since the process started; ${s.services.length} framework services, ${s.servers.length} servers, RSS ${rss} MiB)`);
  logger.info(`locator: ${s.locator}`);
  if (s.servers.some((x) => x.name === 'Demo.HelloServer')) {
    const base = args.portBase === 10_000 ? '' : ` --port-base ${args.portBase}`;
    logger.info(`call the demo ${DEMO_OBJ}: npm start -- call-demo${base} [name]`);
  }
  logger.info('Ctrl-C stops everything');
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (args.command === 'call-demo') {
    try {
      for (const line of await callDemo(args.locator ?? demoLocator(args.portBase, args.host), args.name)) process.stdout.write(`${line}\n`);
    } catch (e) {
      process.stderr.write(`call-demo: ${(e as Error).message}\n`);
      process.exit(1);
    }
    return;
  }
  await start(args);
}

await main();
