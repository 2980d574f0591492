// node tools/images/src/cli.ts build [apps...] [--push REGISTRY] [--tag T]
// node tools/images/src/cli.ts base [--push REGISTRY] [--tag T]
// node tools/images/src/cli.ts prune
import { parseArgs } from 'node:util';
import { APPS, appExists, appSpec, BASE_IMAGE_NAME, isAppName, type AppName } from './apps.ts';
import { ensureBase, type BaseImage } from './base.ts';
import { Buildah } from './buildah.ts';
import { buildImage, pushImage } from './build.ts';
import { have } from './exec.ts';
import { stderrLog } from './log.ts';
import { sizeTable, type SizeRow } from './sizes.ts';

const USAGE = `usage: node tools/images/src/cli.ts <command> [options]
  build [apps...]   bundle each app and build docker/<app>/Containerfile (all apps when none named)
  base              build the base image (or find it in the cache)
  prune             remove untagged images (the layer cache) from the image store
options: --push REGISTRY (host[:port][/path])  --tag T (default latest)
apps: ${APPS.join(' ')}`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { push: { type: 'string' }, tag: { type: 'string', default: 'latest' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...names] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  for (const tool of ['buildah', 'skopeo', 'apt-get', 'dpkg-deb']) {
    if (!have(tool)) throw new Error(`${tool} is not installed: run tools/images/setup.sh`);
  }
  const buildah = new Buildah();
  const log = stderrLog;
  log(`image store: ${buildah.root} (${buildah.driver})`);

  if (command === 'prune') {
    await buildah.run(['rmi', '--prune']);
    log('removed untagged images');
    return 0;
  }
  if (command !== 'build' && command !== 'base') {
    console.error(USAGE);
    return 2;
  }
  const unknown = names.filter((n) => !isAppName(n));
  if (unknown.length) throw new Error(`unknown app(s): ${unknown.join(', ')}; known: ${APPS.join(' ')}`);

  const rows: SizeRow[] = [];
  const base = await ensureBase({ buildah, log });
  rows.push(await baseRow(buildah, base, values.tag, values.push));
  if (command === 'base') {
    console.log(sizeTable(rows));
    return 0;
  }

  const failed: string[] = [];
  for (const app of (names.length ? names : APPS) as AppName[]) {
    const spec = appSpec(app);
    if (!appExists(spec)) {
      log(`${app}: skipped, apps/${app}/src/main.ts does not exist yet`);
      continue;
    }
    try {
      rows.push(await buildImage(spec, { buildah, log, base, tag: values.tag, push: values.push }));
    } catch (err) {
      failed.push(app);
      log(`${app}: FAILED: ${(err as Error).message}`);
    }
  }
  console.log(sizeTable(rows));
  if (failed.length) {
    log(`failed: ${failed.join(', ')}`);
    return 1;
  }
  return 0;
}

/** Tags the base with the requested tag too (and pushes it) so app images can name it. */
async function baseRow(buildah: Buildah, base: BaseImage, tag: string, push?: string): Promise<SizeRow> {
  const local = `localhost/${BASE_IMAGE_NAME}:${tag}`;
  await buildah.run(['tag', base.ref, local]);
  const image = await buildah.inspectImage(base.ref);
  const bytes = image.layers.reduce((a, l) => a + l.size, 0);
  const row: SizeRow = { app: 'base', image: BASE_IMAGE_NAME, layers: image.layers.length, bytes, ownBytes: bytes, seconds: base.seconds };
  if (push) row.pushedBytes = (await pushImage(buildah, local, `${push.replace(/\/+$/, '')}/${BASE_IMAGE_NAME}:${tag}`)).bytes;
  return row;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    stderrLog(`error: ${err.message}`);
    process.exit(1);
  },
);
