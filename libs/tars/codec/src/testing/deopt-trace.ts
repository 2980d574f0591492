// For tests that optimized code survives a full GC (see TarsReader.shapeAnchor).
import { spawnSync } from 'node:child_process';

// A control run before the script: an optimized function built on a class none of whose
// instances outlive it, so the full GC must discard its code. If the trace does not show that,
// the trace cannot be read (V8 changed its wording) and an empty result would prove nothing.
const CONTROL = `
class ShapeProbe { constructor(i) { this.a = i; this.b = i + 1; } }
function makeShapeProbe(i) { return new ShapeProbe(i); }
function useShapeProbe(p) { return p.a + p.b; }
let shapeProbeSum = 0;
// in rounds with pauses, so that the background compiler gets a core on a busy machine
for (let round = 0; round < 5; round++) {
  for (let i = 0; i < 50000; i++) shapeProbeSum += useShapeProbe(makeShapeProbe(i));
  await new Promise((r) => setTimeout(r, 20));
}
`;

/**
 * Runs `script` (an ES module that prints `marker`, then calls `globalThis.gc()`) in a child
 * Node with V8's deopt trace, and returns the names of the functions whose optimized code V8
 * discarded after `marker` because a hidden class it depended on had been collected.
 */
export function codeDroppedAfter(script: string, marker: string): string[] {
  const run = spawnSync(process.execPath, ['--expose-gc', '--trace-deopt', '--input-type=module', '-e', CONTROL + script], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`script failed (${run.status ?? run.signal}): ${run.stderr}`);
  const parts = run.stdout.split(marker);
  if (parts.length < 2) throw new Error(`script did not print ${marker}`);
  const dropped = parts[1]
    .split('\n')
    .filter((l) => l.includes('embedded weak objects cleared'))
    .map((l) => /SharedFunctionInfo ([^>]*)>/.exec(l)?.[1] ?? l);
  if (!dropped.includes('ShapeProbe')) throw new Error('the deopt trace does not show the control being discarded: cannot read this V8 trace');
  return dropped.filter((name) => !name.includes('ShapeProbe'));
}
