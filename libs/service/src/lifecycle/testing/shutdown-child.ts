// A process for shutdown.test.ts: registers three stop hooks, says "ready", waits for a signal.
// argv[2] picks how the middle hook behaves: ok | fail | hang.
import { Shutdown } from '../shutdown.ts';

const mode = process.argv[2] ?? 'ok';
const say = (line: string): void => void process.stdout.write(line + '\n');
const shutdown = new Shutdown({
  deadlineMs: 500,
  logger: { debug: () => {}, info: () => {}, warn: (m) => say(`warn: ${m}`), error: (m) => say(`error: ${m}`) },
}).install();

shutdown.onStop('first', () => say('stop first'));
shutdown.onStop('second', async () => {
  say('stop second');
  if (mode === 'fail') throw new Error('second broke');
  if (mode === 'hang') await new Promise(() => setInterval(() => {}, 1000));
  await new Promise((resolve) => setTimeout(resolve, 20));
});
shutdown.onStop('third', () => say('stop third'));

setInterval(() => {}, 1000); // stay alive until a signal arrives
say('ready');
