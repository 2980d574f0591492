// The size table printed after a build.

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export interface SizeRow {
  app: string;
  image: string;
  layers: number;
  /** Sum of the uncompressed layers: what the image takes on a node's disk. */
  bytes: number;
  /** Sum of the compressed layers in the registry: what a pull downloads (once per layer). */
  pushedBytes?: number;
  /** Bytes this image adds on top of the base. */
  ownBytes: number;
  seconds: number;
}

export function sizeTable(rows: SizeRow[]): string {
  const header = ['app', 'image', 'layers', 'size', 'app layers', 'compressed', 'build s'];
  const body = rows.map((r) => [
    r.app, r.image, String(r.layers), humanBytes(r.bytes), humanBytes(r.ownBytes),
    r.pushedBytes === undefined ? '-' : humanBytes(r.pushedBytes), r.seconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
