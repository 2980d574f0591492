import type { BenchRow } from './types.ts';

function fmt(n: number | null): string {
  if (n === null) return '-';
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** Fixed-width table of rows, one header. */
export function table(rows: BenchRow[]): string {
  const head = ['scenario', 'ours', 'peer', 'unit', 'ratio', 'target'];
  const cells = rows.map((r) => [
    r.name, fmt(r.ours), fmt(r.peer), r.unit, r.ratio === null ? '-' : `${fmt(r.ratio)}x`,
    r.target ? `${r.target} ${r.pass ? 'ok' : 'MISSED'}` : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 || i === 3 || i === 5 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** One JSON object per line, stable field order. */
export function jsonLine(suite: string, r: BenchRow): string {
  return JSON.stringify({ suite, name: r.name, ours: r.ours, peer: r.peer, unit: r.unit, ratio: r.ratio, target: r.target, pass: r.pass });
}
