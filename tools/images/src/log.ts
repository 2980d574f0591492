// Progress lines for long work (a cold base build downloads packages and copies ~120 MB).
export type Log = (line: string) => void;

export const stderrLog: Log = (line) => process.stderr.write(`[images] ${line}\n`);

export const silentLog: Log = () => {};

/** Runs `work`, then logs `label` with the seconds it took; returns the result and seconds. */
export async function timed<T>(log: Log, label: string, work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await work();
  const seconds = (performance.now() - start) / 1000;
  log(`${label} (${seconds.toFixed(1)} s)`);
  return { value, seconds };
}
