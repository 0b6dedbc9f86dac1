import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, and starts over after reset', () => {
    const top = new Backoff(1_000, 10_000, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(() => top.next())).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    top.reset();
    expect(top.next()).toBe(1_000);
  });

  it('draws each delay from the upper half of its step', () => {
    const bottom = new Backoff(1_000, 10_000, () => 0);
    expect([1, 2, 3, 4, 5].map(() => bottom.next())).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
  });
});
