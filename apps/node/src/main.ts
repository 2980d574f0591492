// tarsnode: flags → options → agent; signals. See README.md for flags, config keys and ports.
import { existsSync, writeFileSync } from 'node:fs';
import { Communicator } from '@tars-ts/rpc';
import { ServiceLogger, TarsConfig } from '@tars-ts/service';
import { prepareLaunch, SERVER_OBJ, startNodeAgent, type NodeAgent } from './agent.ts';
import { parseArgs, UsageError, USAGE, type CliArgs } from './args.ts';
import { foregroundLocal, podOptions, readNodeConf, runOptions } from './cli.ts';
import { shellLine } from './launcher.ts';
import { ensureHostsEntries, linkServerPackage, podEnvironment } from './pod-setup.ts';

/** Where the user typed the command: `npm start -w @tars-ts/app-node` runs us in apps/node, INIT_CWD has theirs. */
function invocationDir(): string {
  const env = process.env;
  const viaNpmStart = env.npm_lifecycle_event === 'start' && env.npm_package_name === '@tars-ts/app-node';
  return viaNpmStart && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

/** Signals passed on to the server rather than handled (PID 1 must forward them). */
const FORWARDED: NodeJS.Signals[] = ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT', 'SIGWINCH'];

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tarsnode: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.mode === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const logger = new ServiceLogger({ stream: process.stderr, level: args.logLevel });
  let agent: NodeAgent;
  let comm: Communicator;
  // The server survived SIGKILL: exit so the container (or the person) starts over, as upstream.
  const onFatal = (message: string): void => {
    process.stderr.write(`tarsnode: ${message}; exiting\n`);
    process.exit(255);
  };
  if (args.mode === 'run') {
    comm = new Communicator({ locator: args.locator, logger });
    agent = await startNodeAgent({ ...runOptions(args, { cwd: invocationDir(), comm, logger }), onFatal });
  } else {
    const pod = podEnvironment(process.env);
    if (pod.launcherType === 'foreground' && !args.target) {
      throw new UsageError('LauncherType foreground: run `tarsnode pod --target=config --outfile=F`, start `tarsnode pod --target=daemon` in the background, then eval the line in F');
    }
    const conf = readNodeConf(args.configFile ? TarsConfig.loadSync(args.configFile) : undefined, pod.listenAddress);
    if (pod.podIp) {
      try {
        const added = ensureHostsEntries('/etc/hosts', pod.podIp, [pod.podName, pod.listenAddress]);
        if (added.length > 0) logger.info(`added ${added.join(', ')} to /etc/hosts`);
      } catch (e) {
        logger.warn(`cannot update /etc/hosts: ${(e as Error).message}`);
      }
    }
    if (existsSync('/usr/local/server/bin') && linkServerPackage('/usr/local/server/bin', pod.binDir)) logger.info(`linked /usr/local/server/bin to ${pod.binDir}`);
    if (process.pid === 1) logger.warn('running as PID 1: orphaned grandchildren are not reaped by Node; run under tini (tini -- tarsnode) to reap them');
    comm = new Communicator({ locator: conf.locator, logger });
    const options = podOptions(pod, conf, { comm, logger, env: process.env, args });
    if (args.target === 'config') {
      // Foreground: the server will be the container's PID 1; tarsnode only prepares its command.
      const { command } = await prepareLaunch({ ...options, local: foregroundLocal(pod.listenAddress) }, `${SERVER_OBJ}@${conf.serverObjEndpoint}`);
      writeFileSync(args.outfile as string, shellLine(command) + '\n');
      logger.info(`wrote the command line of ${pod.app}.${pod.server} to ${args.outfile}`);
      await comm.close();
      return 0;
    }
    const observe = args.target === 'daemon';
    agent = await startNodeAgent({ ...options, observe, nodeObjEndpoint: observe ? undefined : options.nodeObjEndpoint, onFatal });
  }

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        // A second signal: no more patience.
        agent.signalServer('SIGKILL');
        resolveExit(130);
        return;
      }
      stopping = true;
      logger.info(`${signal}: stopping ${agent.app}.${agent.server}`);
      void agent.close().then(() => comm.close()).then(() => resolveExit(0), (e: Error) => {
        logger.error(`shutdown failed: ${e.message}`);
        resolveExit(1);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    for (const sig of FORWARDED) process.on(sig, () => agent.signalServer(sig));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`tarsnode: ${e.message}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
