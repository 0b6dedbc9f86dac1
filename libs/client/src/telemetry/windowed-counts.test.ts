import { describe, expect, it } from 'vitest';
import { WindowedCounts } from './windowed-counts';

describe('WindowedCounts', () => {
  it('counts per topic per aligned window and keeps only the newest windows', () => {
    let now = 120_500;
    const counts = new WindowedCounts(60_000, 2, () => now);
    counts.add('a', 3);
    counts.add('b', 1);
    now = 179_999;
    counts.add('a', 2);
    now = 180_000;
    counts.add('a', 1);
    now = 240_000;
    counts.add('b', 4);
    expect(counts.snapshot()).toEqual([
      { topic: 'a', windowStart: 180_000, count: 1 },
      { topic: 'b', windowStart: 240_000, count: 4 },
    ]);
    expect(counts.topics()).toEqual(['a', 'b']);
  });
});
