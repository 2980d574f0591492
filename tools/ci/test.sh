#!/usr/bin/env bash
# `npm test`: lint (with Nx module boundaries), typecheck, then every test of every project with
# one vitest run. Prints a closing "N passed, N failed, N skipped" line for CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
results="${TMPDIR:-/tmp}/tars-ts-vitest-$$.json"
trap 'rm -f "$results"' EXIT

echo "== lint"; npm run --silent lint
echo "== typecheck"; npm run --silent typecheck
echo "== tests"
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$results" || true
exit "$status"
