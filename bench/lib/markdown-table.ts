// A Markdown table that also reads in a terminal: columns padded, numeric ones right-aligned.

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], numericColumns: readonly number[]): string {
  const numeric = new Set(numericColumns);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => cells[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    `| ${widths.map((w, i) => (numeric.has(i) ? (cells[i] ?? '').padStart(w) : (cells[i] ?? '').padEnd(w))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
