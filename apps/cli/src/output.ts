// What the CLI prints: tables for people, JSON for scripts (`--json`), and one readable line per
// error. Nothing here decides what to show; commands pass rows and columns.
export interface Output {
  readonly json: boolean;
  write(text: string): void;
  error(text: string): void;
}

export function processOutput(json: boolean): Output {
  return {
    json,
    write: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    error: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}

export type Cell = string | number | boolean | null | undefined | Date | readonly string[];

function show(cell: Cell): string {
  if (cell === null || cell === undefined) return '-';
  if (cell instanceof Date) return cell.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(cell)) return cell.length === 0 ? '-' : cell.join(',');
  return String(cell);
}

/** Left-aligned columns, a header in capitals, two spaces between columns. */
export function table(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map(show));
  const widths = columns.map((column, i) => Math.max(column.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...text.map(line)].join('\n');
}

/** `key: value` lines for one object. */
export function fields(entries: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${show(value)}`).join('\n');
}

/** Prints `value` as JSON, or `human()` for people. */
export function emit(out: Output, value: unknown, human: () => string): void {
  out.write(out.json ? JSON.stringify(value, null, 2) : human());
}
