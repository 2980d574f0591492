// Child process of the stat suite: a tarsstat (our StatObj + aggregator + DuckDB store) on an
// ephemeral port. Prints `PORT <n>`, then reads stdin lines: `START` (the client begins: clocks
// start), `DONE <entries> <succCount>` (everything was sent: wait for the last entry, stop
// gracefully so every window lands in DuckDB, check the rows, print one JSON line and exit).
import { createInterface } from 'node:readline';
import { startStatService } from '@tars-ts/app-stat';
import { silentLogger } from '@tars-ts/rpc';
import { formatDate, openDuckDbStore } from '@tars-ts/storage';

const store = await openDuckDbStore({ namespace: 'bench', path: ':memory:', threads: 1 });
const stat = await startStatService({ store, logger: silentLogger, sourceId: '127.0.0.1', endpoint: 'tcp -h 127.0.0.1 -p 0' });
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
console.log(`PORT ${stat.server.endpointOf('tars.tarsstat.StatObj').port}`);

let t0 = 0;
let cpu0 = process.cpuUsage();
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, a, b] = line.split(' ');
  if (cmd === 'START') {
    t0 = performance.now();
    cpu0 = process.cpuUsage();
  } else if (cmd === 'DONE') {
    const entries = Number(a);
    const succ = Number(b);
    const day = formatDate(Date.now());
    while (stat.counters().entries < entries) await new Promise((r) => setTimeout(r, 2));
    const received = performance.now();
    const rssReceivedMb = process.memoryUsage().rss / 2 ** 20;
    const heapReceivedMb = process.memoryUsage().heapUsed / 2 ** 20;
    await stat.stop(); // every window written, store flushed
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const stored = (await store.queryStat({ date: day, indexs: ['succ_count'], groupby: [] })).get('')?.[0] ?? 0;
    const rows = stat.counters().rowsWritten;
    await store.close();
    console.log(JSON.stringify({
      entries: stat.counters().entries, merged: stat.counters().merged, rows, storedSucc: stored, expectedSucc: succ, ms, flushMs: performance.now() - received,
      cpuMs: (cpu.user + cpu.system) / 1000, rssBeforeMb, rssReceivedMb, heapReceivedMb, peakRssMb: peakRss / 2 ** 20, maxRssMb: process.resourceUsage().maxRSS / 1024,
    }));
    process.exit(0);
  }
}
