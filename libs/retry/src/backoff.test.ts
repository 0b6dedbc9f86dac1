import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const policy = { initialMs: 100, maxMs: 2_000 };
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt))).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000]);
  });

  it('stays at the cap however long the outage, and treats nonsense bounds as the nearest sane ones', () => {
    expect(backoffDelay({ initialMs: 100, maxMs: 2_000 }, 10_000)).toBe(2_000);
    expect(backoffDelay({ initialMs: 0, maxMs: 0 }, 3)).toBe(1);
    expect(backoffDelay({ initialMs: 500, maxMs: 100 }, 3)).toBe(500);
  });

  it('with jitter, draws each delay from the upper half of its step', () => {
    const policy = { initialMs: 1_000, maxMs: 10_000, jitter: true };
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
  });
});

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, and starts over after reset', () => {
    const top = new Backoff({ initialMs: 1_000, maxMs: 10_000, jitter: true }, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(() => top.next())).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    top.reset();
    expect(top.next()).toBe(1_000);
  });

  it('draws each delay from the upper half of its step', () => {
    const bottom = new Backoff({ initialMs: 1_000, maxMs: 10_000, jitter: true }, () => 0);
    expect([1, 2, 3, 4, 5].map(() => bottom.next())).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
  });
});
