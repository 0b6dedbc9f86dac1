// The benchmark's table, as Markdown that also reads in a terminal (columns padded): one row per
// client, direction and record size, with the median over rounds and its ratio to the peer.

export type Direction = 'produce' | 'consume';

export interface ResultRow {
  recordSize: number;
  direction: Direction;
  client: string;
  /** Records per round. */
  records: number;
  /** Medians over the rounds. */
  recordsPerSecond: number;
  mibPerSecond: number;
  /** (max − min) / median of records/s over the rounds; 0 with one round. */
  spread: number;
  /** recordsPerSecond ÷ the peer's; undefined when the peer has no result. */
  ratio: number | undefined;
  /** Node consumers: median time from partition assignment to the first record (part of the timing). */
  leadInMs?: number;
}

export interface FailedRow {
  recordSize: number;
  direction: Direction;
  client: string;
  error: string;
}

export function sizeLabel(bytes: number): string {
  return bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} B`;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatTable(rows: readonly ResultRow[], failed: readonly FailedRow[] = []): string {
  const header = ['record', 'direction', 'client', 'records', 'msgs/s', 'MiB/s', 'spread', 'ratio', 'lead-in'];
  const body = [
    ...rows.map((r) => [
      sizeLabel(r.recordSize),
      r.direction,
      r.client,
      integer.format(r.records),
      integer.format(r.recordsPerSecond),
      r.mibPerSecond.toFixed(2),
      `${Math.round(r.spread * 100)}%`,
      r.ratio === undefined ? '-' : r.ratio.toFixed(2),
      r.leadInMs === undefined ? '' : `${Math.round(r.leadInMs)} ms`,
    ]),
    ...failed.map((f) => [sizeLabel(f.recordSize), f.direction, f.client, '-', `failed: ${f.error.split('\n')[0] ?? ''}`, '-', '-', '-', '']),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]?.length ?? 0)));
  const numeric = new Set([3, 4, 5, 6, 7, 8]);
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}
