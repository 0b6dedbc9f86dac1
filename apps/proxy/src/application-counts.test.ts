import { describe, expect, it } from 'vitest';
import { ApplicationCounts } from './application-counts';

describe('ApplicationCounts', () => {
  it('counts records and bytes per application and minute window', () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 10);
    const counts = new ApplicationCounts(() => now);
    counts.add('billing', 2, 100);
    counts.add('billing', 1, 50);
    counts.add('shop', 5, 500);
    now += 60_000;
    counts.add('billing', 1, 10);
    const minute = Date.UTC(2026, 0, 1, 12, 0);
    expect(counts.snapshot()).toEqual([
      { application: 'billing', windowStart: minute, records: 3, bytes: 150 },
      { application: 'shop', windowStart: minute, records: 5, bytes: 500 },
      { application: 'billing', windowStart: minute + 60_000, records: 1, bytes: 10 },
    ]);
  });

  it('counts what HTTP consumers took per application beside what was written, and an application that only consumes', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 10);
    const counts = new ApplicationCounts(() => now);
    counts.add('billing', 2, 100);
    counts.consumed('billing', 3, 30);
    counts.consumed('reader', 4, 40);
    counts.consumed('reader', 1, 5);
    const minute = Date.UTC(2026, 0, 1, 12, 0);
    expect(counts.snapshot()).toEqual([
      { application: 'billing', windowStart: minute, records: 2, bytes: 100, consumedRecords: 3, consumedBytes: 30 },
      { application: 'reader', windowStart: minute, records: 0, bytes: 0, consumedRecords: 5, consumedBytes: 45 },
    ]);
  });
});
