// bench/RESULTS.md: one table of every scenario's current figures, a description of every
// scenario, then the entries those figures come from (git holds the earlier ones). Recording a
// run rewrites its scenario's description (so it says what the code that wrote the entry
// measures), replaces the table's rows it measured anew, and drops the scenario's entries no row
// refers to any more: a run that measured part of a scenario leaves the other rows and their
// entry in place.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { markdownTable } from './markdown-table';

const CURRENT_HEADING = '## Current figures';
const SCENARIOS_HEADING = '## Scenarios';
const TABLE_HEADER = ['scenario', 'what', 'figure', 'goal', 'verdict', 'entry'];

const INTRO = `# Benchmark results

Each \`bench/<scenario>.bench.ts\` starts its own local Kafka, measures, prints a table to stdout
(every figure next to a peer measured in the same run) and records an entry here with the date
and the machine. Run one with \`npm run bench -- <scenario> [options]\`. Figures from different
machines or entries are not comparable; ratios within one entry are. Only the latest entry of
each scenario is kept: earlier ones are in git (\`git log -p bench/RESULTS.md\`).

${CURRENT_HEADING}

${markdownTable(TABLE_HEADER, [], [])}

${SCENARIOS_HEADING}
`;

/** One row of the table of current figures. */
export interface CurrentFigure {
  what: string;
  /** The figure and the peer's from the same run. */
  figure: string;
  goal: string;
  verdict: string;
}

export interface Recording {
  scenario: string;
  /** Starts with `### <scenario>`. */
  description: string;
  /** Starts with `## <scenario> — <date>`. */
  entry: string;
  /** The entry's date as the table shows it. */
  date: string;
  /**
   * The scenario's rows of the table, each replacing the row with the same `what`. Absent for a
   * scenario that does not summarise itself: one row then points to the entry in place of all
   * the scenario's rows, so the table never shows a figure the entries below do not.
   */
  current?: readonly CurrentFigure[];
}

/** The line index ranges [start, end) of `## <scenario> — …` entries. */
function entryRanges(lines: readonly string[], scenario: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith(`## ${scenario} — `)) continue;
    let end = i + 1;
    while (end < lines.length && !/^##? /.test(lines[end]!)) end++;
    ranges.push([i, end]);
    i = end - 1;
  }
  return ranges;
}

function replaceDescription(lines: string[], scenario: string, description: string): string[] {
  const heading = `### ${scenario}`;
  const start = lines.findIndex((line) => line.trim() === heading);
  const body = [...description.trim().split('\n'), ''];
  if (start >= 0) {
    // The description runs to the next scenario's heading or the first entry.
    const next = lines.findIndex((line, i) => i > start && /^##(#)? /.test(line));
    const end = next < 0 ? lines.length : next;
    return [...lines.slice(0, start), ...body, ...lines.slice(end)];
  }
  // The Scenarios section ends where the first entry ("## <scenario> — <date>") begins.
  const scenarios = lines.findIndex((line) => line.trim() === SCENARIOS_HEADING);
  const next = lines.findIndex((line, i) => i > scenarios && /^## /.test(line));
  const at = next < 0 ? lines.length : next;
  return [...lines.slice(0, at), ...body, ...lines.slice(at)];
}

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(' | ')
    .map((cell) => cell.trim());
}

interface Table {
  /** The lines before and after the table. */
  before: string[];
  after: string[];
  body: string[][];
}

function readTable(lines: readonly string[]): Table {
  const heading = lines.findIndex((line) => line.trim() === CURRENT_HEADING);
  if (heading < 0) throw new Error(`bench/RESULTS.md has no "${CURRENT_HEADING}" section`);
  const first = lines.findIndex((line, i) => i > heading && line.startsWith('|'));
  let end = first;
  while (end < lines.length && lines[end]!.startsWith('|')) end++;
  // The header and the rule, then the body.
  return { before: lines.slice(0, first), after: lines.slice(end), body: lines.slice(first + 2, end).map(tableCells) };
}

/** `rows` in place of the rows they measure anew: same scenario and `what`, or all the scenario's when `whole`. */
function replaceRows(body: readonly string[][], rows: readonly string[][], whole: boolean): string[][] {
  const scenario = rows[0]?.[0];
  const replaced = (cells: readonly string[]): boolean => cells[0] === scenario && (whole || rows.some((row) => row[1] === cells[1]));
  const at = body.findIndex(replaced);
  const lastOfScenario = body.reduce((last, cells, i) => (cells[0] === scenario ? i : last), -1);
  // Where the first replaced row was; else after the scenario's other rows; else at the end.
  const anchor = at >= 0 ? at : lastOfScenario >= 0 ? lastOfScenario + 1 : body.length;
  const insertAt = body.slice(0, anchor).filter((cells) => !replaced(cells)).length;
  const kept = body.filter((cells) => !replaced(cells));
  return [...kept.slice(0, insertAt), ...rows, ...kept.slice(insertAt)];
}

/** Records `r`: its description, its rows of the table, its entry; drops the scenario's entries no row refers to. */
export function recordResult(path: string, r: Recording): void {
  let lines = (existsSync(path) ? readFileSync(path, 'utf8') : INTRO).split('\n');
  lines = replaceDescription(lines, r.scenario, r.description);
  const table = readTable(lines);
  const rows = (r.current ?? [{ what: 'see its entry below', figure: '-', goal: '-', verdict: '-' }]).map((f) => [r.scenario, f.what, f.figure, f.goal, f.verdict, r.date]);
  const body = replaceRows(table.body, rows, r.current === undefined);
  lines = [...table.before, ...markdownTable(TABLE_HEADER, body, []).split('\n'), ...table.after];
  const referenced = new Set(body.filter((cells) => cells[0] === r.scenario).map((cells) => cells[5]));
  for (const [start, end] of entryRanges(lines, r.scenario).reverse()) {
    const date = lines[start]!.slice(`## ${r.scenario} — `.length).trim();
    if (!referenced.has(date) || date === r.date) lines.splice(start, end - start);
  }
  const text = `${lines.join('\n').replace(/\n*$/, '\n')}${r.entry.replace(/^\n*/, '\n')}`;
  writeFileSync(path, text);
}
