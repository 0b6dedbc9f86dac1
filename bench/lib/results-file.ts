// bench/RESULTS.md: a header that describes every scenario, then one entry per recorded run.
// A scenario's description sits in the header's "Scenarios" section and is rewritten on every
// recorded run, so it always says what the code that wrote the newest entry measures.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const INTRO = `# Benchmark results

Each \`bench/<scenario>.bench.ts\` starts its own local Kafka, measures, prints a table to stdout
(every rate divided by a peer measured in the same run) and appends an entry here with the date
and the machine. Run one with \`npm run bench -- <scenario> [options]\`. Figures from different
machines or entries are not comparable; ratios within one entry are.

## Scenarios
`;

/**
 * Appends `entry`; first puts `description` (starting with `### <scenario>`) in the Scenarios
 * section: in place of that scenario's description if there is one, else at the section's end.
 */
export function recordResult(path: string, scenario: string, description: string, entry: string): void {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : INTRO;
  const heading = `### ${scenario}`;
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start >= 0) {
    // The description runs to the next scenario's heading or the first entry.
    const next = lines.findIndex((line, i) => i > start && /^##(#)? /.test(line));
    const end = next < 0 ? lines.length : next;
    text = [...lines.slice(0, start), ...description.trim().split('\n'), '', ...lines.slice(end)].join('\n');
    writeFileSync(path, text);
  } else {
    const scenarios = text.search(/^## Scenarios\s*$/m);
    // The section ends where the first entry ("## <scenario> — <date>") begins.
    const rest = scenarios < 0 ? -1 : text.slice(scenarios + 1).search(/^## /m);
    const at = rest < 0 ? text.length : scenarios + 1 + rest;
    const before = text.slice(0, at).replace(/\n*$/, '\n\n');
    text = `${before}${description.trim()}\n${at < text.length ? `\n${text.slice(at)}` : ''}`;
    writeFileSync(path, text);
  }
  appendFileSync(path, entry);
}
