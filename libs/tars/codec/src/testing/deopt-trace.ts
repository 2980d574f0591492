// For tests that optimized code survives a full GC (see TarsReader.shapeAnchor).
import { spawnSync } from 'node:child_process';

/**
 * Runs `script` (an ES module that calls `globalThis.gc()`) in a child Node with V8's deopt
 * trace, and returns the names of the functions whose optimized code V8 discarded after the
 * script printed `marker` because a hidden class it depended on had been collected.
 */
export function codeDroppedAfter(script: string, marker: string): string[] {
  const run = spawnSync(process.execPath, ['--expose-gc', '--trace-deopt', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`script failed (${run.status ?? run.signal}): ${run.stderr}`);
  const parts = run.stdout.split(marker);
  if (parts.length < 2) throw new Error(`script did not print ${marker}`);
  return parts[1]
    .split('\n')
    .filter((l) => l.includes('embedded weak objects cleared'))
    .map((l) => /SharedFunctionInfo ([^>]*)>/.exec(l)?.[1] ?? l);
}
