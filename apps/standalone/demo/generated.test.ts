// The demo's generated proxy and servant are code from demo/Hello.tars: fail when they are stale.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('demo/generated matches demo/Hello.tars (npm run generate -w @tars-ts/app-standalone)', () => {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const run = () => execFileSync(process.execPath, ['../../libs/tars/idl/src/cli.ts', '--check', '--out', 'demo/generated', 'demo/Hello.tars'], { cwd: root, encoding: 'utf8' });
  expect(run).not.toThrow();
});
