#!/usr/bin/env node
// tars-ts-idl: .tars files in, TypeScript out. Run with Node >= 24 (type stripping).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { IdlError } from './errors.ts';
import { generateFromFiles } from './generator.ts';

const HELP = `Usage: node libs/tars/idl/src/cli.ts --out DIR [options] FILE.tars...

Generates one TypeScript file per .tars file (and per file they #include), mirroring the
input tree below the base folder, plus an index.ts per folder.

Options:
  -o, --out DIR          output folder (required)
  -b, --base DIR         folder the output mirrors (default: deepest folder holding all inputs)
  -I, --include DIR      extra folder searched for #include (after the file's folder and its parent)
      --no-index         do not write index.ts files
      --codec MODULE     import specifier of the codec runtime (default @tars-ts/codec)
      --rpc MODULE       import specifier of the rpc runtime (default @tars-ts/rpc)
      --check            write nothing; exit 1 if any output file is missing or differs
  -h, --help             show this help
`;

function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        base: { type: 'string', short: 'b' },
        include: { type: 'string', short: 'I', multiple: true },
        'no-index': { type: 'boolean' },
        codec: { type: 'string' },
        rpc: { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const o = args.values;
  if (o.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!o.out || args.positionals.length === 0) {
    process.stderr.write(`${!o.out ? 'missing --out DIR' : 'no input files'}\n\n${HELP}`);
    return 2;
  }
  let outputs: Map<string, string>;
  try {
    outputs = generateFromFiles(args.positionals, {
      ...(o.base ? { baseDir: o.base } : {}),
      ...(o.include ? { includeDirs: o.include } : {}),
      index: !o['no-index'],
      runtime: { ...(o.codec ? { codec: o.codec } : {}), ...(o.rpc ? { rpc: o.rpc } : {}) },
    });
  } catch (e) {
    if (e instanceof IdlError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  let stale = 0;
  let written = 0;
  for (const [rel, text] of outputs) {
    const file = path.join(o.out, rel);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    if (o.check) {
      process.stderr.write(`stale: ${file}\n`);
      stale++;
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    written++;
  }
  if (o.check) {
    if (stale) process.stderr.write(`${stale} of ${outputs.size} generated files are stale; run the generator\n`);
    return stale ? 1 : 0;
  }
  process.stdout.write(`${outputs.size} files generated in ${o.out} (${written} changed)\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
