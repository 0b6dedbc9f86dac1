// bench/RESULTS.md: a header that describes every scenario, then one entry per recorded run.
// A scenario's description goes into the header's "Scenarios" section the first time it records,
// so the file explains every entry it holds.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const INTRO = `# Benchmark results

Each \`bench/<scenario>.bench.ts\` starts its own local Kafka, measures, prints a table to stdout
(every rate divided by a peer measured in the same run) and appends an entry here with the date
and the machine. Run one with \`npm run bench -- <scenario> [options]\`. Figures from different
machines or entries are not comparable; ratios within one entry are.

## Scenarios
`;

/**
 * Appends `entry`; first adds `description` (starting with `### <scenario>`) at the end of the
 * Scenarios section unless a section with that heading is already there.
 */
export function recordResult(path: string, scenario: string, description: string, entry: string): void {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : INTRO;
  const heading = `### ${scenario}`;
  if (!text.split('\n').some((line) => line.trim() === heading)) {
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
