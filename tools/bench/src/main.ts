// npm run bench -- [suite...] [--json] [--quick] [--filter text] [--rounds n] [--round-ms n]
// Without suite names every registered suite runs. Exit code 1 when a row misses its target
// and --strict is given.
import { parseArgs } from 'node:util';
import { jsonLine, table } from './report.ts';
import { runSuite } from './run.ts';
import { suites } from './suites.ts';
import type { BenchOptions, BenchRow } from './types.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    filter: { type: 'string' },
    rounds: { type: 'string' },
    'round-ms': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run bench -- [${Object.keys(suites).join('|')} ...] [--json] [--quick] [--strict] [--filter text] [--rounds n] [--round-ms n]`);
  process.exit(0);
}

const names = positionals.length ? positionals : Object.keys(suites);
const unknown = names.filter((n) => !(n in suites));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

const opts: BenchOptions = values.quick
  ? { rounds: 3, roundMs: 100, warmupMs: 100 }
  : { rounds: 7, roundMs: 250, warmupMs: 400 };
if (values.rounds) opts.rounds = Math.max(1, Number(values.rounds));
if (values['round-ms']) opts.roundMs = Math.max(1, Number(values['round-ms']));

let missed = 0;
for (const name of names) {
  const suite = await suites[name]();
  if (!values.json) console.log(`\n${suite.name}: ${suite.description} (median of ${opts.rounds} rounds, node ${process.version})\n`);
  const rows: BenchRow[] = await runSuite(
    suite,
    opts,
    (row) => {
      if (row.pass === false) missed++;
      if (values.json) console.log(jsonLine(suite.name, row));
    },
    values.filter,
  );
  if (!values.json) console.log(table(rows));
}
if (values.strict && missed > 0) process.exit(1);
// Peer libraries may keep timers alive; the run is over.
process.exit(0);
