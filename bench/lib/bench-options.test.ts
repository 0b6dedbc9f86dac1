// The options every benchmark scenario shares: record sizes and counts, and their errors.
import { describe, expect, it } from 'vitest';
import { parseBenchOptions, UsageError } from './bench-options';

const counts = { defaults: { small: 500, large: 300, rounds: 5 }, quick: { small: 20, large: 5, rounds: 1 } };
const parse = (...argv: string[]) => parseBenchOptions(argv, counts, 'usage');

describe('bench options', () => {
  it('measures both record sizes by default, with the default counts and rounds', () => {
    expect(parse().sizes).toEqual([
      { recordSize: 100, records: 500 },
      { recordSize: 1024, records: 300 },
    ]);
    expect(parse().rounds).toBe(5);
  });

  it('measures one record size with --size, in any of its spellings, and both when given twice', () => {
    for (const text of ['1024', '1k', '1KB', '1KiB']) expect(parse('--size', text).sizes).toEqual([{ recordSize: 1024, records: 300 }]);
    expect(parse('--size', '100', '--records', '7').sizes).toEqual([{ recordSize: 100, records: 7 }]);
    expect(parse('--size', '1k', '--size', '100').sizes.map((s) => s.recordSize)).toEqual([100, 1024]);
  });

  it('refuses a size the scenario does not measure, naming it and the sizes it does', () => {
    expect(() => parse('--size', '512')).toThrow(UsageError);
    expect(() => parse('--size', '512')).toThrow('--size: got "512", expected one of 100, 1024 (bytes per record)');
    expect(() => parse('--size', 'big')).toThrow('--size: got "big"');
  });

  it("reads a scenario's own integer options, naming the option and the value it refuses", () => {
    const parseWith = (...argv: string[]) => parseBenchOptions(argv, counts, 'usage', [], ['latency-rounds']);
    expect(parseWith('--latency-rounds', '4').integers).toEqual({ 'latency-rounds': 4 });
    expect(parseWith().integers).toEqual({ 'latency-rounds': undefined });
    expect(() => parseWith('--latency-rounds', '0')).toThrow('--latency-rounds: got "0", expected a positive integer');
  });
});
