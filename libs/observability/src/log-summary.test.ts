import { describe, expect, it } from 'vitest';
import { logSummary } from './log-summary';

describe('logSummary', () => {
  it('names clusters instead of their addresses and keeps small inputs as they are', () => {
    const input = { cluster: { name: 'fronting-1', bootstrap: ['127.0.0.1:19092'] }, topic: 'orders', partitions: 6, keyed: true };

    expect(logSummary(input)).toEqual({ cluster: 'fronting-1', topic: 'orders', partitions: 6, keyed: true });
  });

  it('cuts long lists, long strings and deep nesting, saying how much was left out', () => {
    const summary = logSummary({ topics: Array.from({ length: 20 }, (_, i) => `t${i}`), reason: 'x'.repeat(200), a: { b: { c: { d: 1 } } } });

    expect(summary).toEqual({
      topics: ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', '…(+12)'],
      reason: `${'x'.repeat(160)}…(+40 chars)`,
      a: { b: { c: '{…}' } },
    });
  });
});
