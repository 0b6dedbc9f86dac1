// bench/RESULTS.md's upkeep: the table of current figures, the descriptions, and only the
// entries some figure comes from.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordResult, type CurrentFigure } from './results-file';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'results-file-'));
  path = join(dir, 'RESULTS.md');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const figure = (what: string, value: string): CurrentFigure => ({ what, figure: value, goal: '≥ 0.95', verdict: 'met' });
const record = (scenario: string, date: string, current?: CurrentFigure[]) =>
  recordResult(path, { scenario, description: `### ${scenario}\n\nwhat ${scenario} measures (${date})`, entry: `\n## ${scenario} — ${date}\n\nbody of ${scenario} at ${date}\n`, date, ...(current ? { current } : {}) });
const entries = (): string[] => readFileSync(path, 'utf8').split('\n').filter((line) => /^## \w+ — /.test(line));
const row = (what: string): string | undefined => readFileSync(path, 'utf8').split('\n').find((line) => line.includes(`| ${what} `));

describe('recordResult', () => {
  it('starts the file with the table, the scenarios and the entry', () => {
    record('client', 'Mon Dec  7 10:00:00 UTC 2026', [figure('kafkajs 100 B produce', '0.97')]);
    const text = readFileSync(path, 'utf8');
    expect(text.indexOf('## Current figures')).toBeLessThan(text.indexOf('## Scenarios'));
    expect(text.indexOf('### client')).toBeLessThan(text.indexOf('## client — Mon Dec  7 10:00:00 UTC 2026'));
    expect(row('kafkajs 100 B produce')).toContain('| 0.97 ');
    expect(row('kafkajs 100 B produce')).toContain('Mon Dec  7 10:00:00 UTC 2026');
  });

  it('keeps an entry while a row of the table still comes from it, and drops it once none does', () => {
    record('client', 'day 1', [figure('throughput', '0.97'), figure('latency', '+0.2 ms')]);
    record('mapping', 'day 1');
    record('client', 'day 2', [figure('latency', '+0.1 ms')]);
    expect(entries()).toEqual(['## client — day 1', '## mapping — day 1', '## client — day 2']);
    expect(row('throughput')).toContain('day 1');
    expect(row('latency')).toContain('+0.1 ms');
    record('client', 'day 3', [figure('throughput', '0.98'), figure('latency', '+0.3 ms')]);
    expect(entries()).toEqual(['## mapping — day 1', '## client — day 3']);
    expect(readFileSync(path, 'utf8').match(/### client/g)).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toContain('what client measures (day 3)');
  });

  it('points to the entry of a scenario that does not summarise itself, in place of its older rows', () => {
    record('move', 'day 1', [figure('1 GiB ÷ 10 MiB', '1.05')]);
    record('move', 'day 2');
    expect(row('1 GiB ÷ 10 MiB')).toBeUndefined();
    expect(row('see its entry below')).toContain('day 2');
    expect(entries()).toEqual(['## move — day 2']);
  });
});
