import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { QuotaLimiter, parseQuota, quotaInputSchema, retryAfterSeconds } from './index';

function manualClock(start = 0) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

describe('QuotaLimiter', () => {
  it('allows a burst of one second of bytes, then says how long to wait', () => {
    const clock = manualClock();
    const limiter = new QuotaLimiter({ clock, quotas: [{ application: 'billing', bytesPerSecond: 1000 }] });
    expect(limiter.tryAcquire('billing', 600)).toEqual({ allowed: true });
    expect(limiter.tryAcquire('billing', 600)).toEqual({ allowed: false, retryAfterMs: 200, limit: 'bytesPerSecond' });
    clock.advance(199);
    expect(limiter.tryAcquire('billing', 600)).toEqual({ allowed: false, retryAfterMs: 1, limit: 'bytesPerSecond' });
    clock.advance(1);
    expect(limiter.tryAcquire('billing', 600)).toEqual({ allowed: true });
  });

  it('limits requests per second independently of their size', () => {
    const clock = manualClock();
    const limiter = new QuotaLimiter({ clock, quotas: [{ application: 'search', requestsPerSecond: 10 }] });
    for (let i = 0; i < 10; i++) expect(limiter.tryAcquire('search', 0).allowed).toBe(true);
    expect(limiter.tryAcquire('search', 0)).toEqual({ allowed: false, retryAfterMs: 100, limit: 'requestsPerSecond' });
    clock.advance(100);
    expect(limiter.tryAcquire('search', 1_000_000).allowed).toBe(true);
  });

  it('charges nothing when one limit refuses, and names the limit with the longer wait', () => {
    const clock = manualClock();
    const limiter = new QuotaLimiter({
      clock,
      quotas: [{ application: 'a', bytesPerSecond: 100, requestsPerSecond: 2 }],
    });
    expect(limiter.tryAcquire('a', 100).allowed).toBe(true);
    // Bytes refuse; the request bucket must not have been charged for the refusal.
    expect(limiter.tryAcquire('a', 50)).toEqual({ allowed: false, retryAfterMs: 500, limit: 'bytesPerSecond' });
    clock.advance(500);
    expect(limiter.tryAcquire('a', 50).allowed).toBe(true);
    // Two requests in the first 500 ms plus one refilled: only because the refusal was free.
    expect(limiter.tryAcquire('a', 0).allowed).toBe(true);
    expect(limiter.tryAcquire('a', 0)).toEqual({ allowed: false, retryAfterMs: 500, limit: 'requestsPerSecond' });
  });

  it('lets a request larger than the bucket through once it is full, and makes the next ones wait it off', () => {
    const clock = manualClock();
    const limiter = new QuotaLimiter({ clock, quotas: [{ application: 'a', bytesPerSecond: 1000 }] });
    expect(limiter.tryAcquire('a', 5000).allowed).toBe(true);
    expect(limiter.tryAcquire('a', 1)).toEqual({ allowed: false, retryAfterMs: 4001, limit: 'bytesPerSecond' });
    clock.advance(4001);
    expect(limiter.tryAcquire('a', 1).allowed).toBe(true);
    // A second oversized request waits for a full bucket, never forever.
    expect(limiter.tryAcquire('a', 5000)).toMatchObject({ allowed: false, retryAfterMs: 1000 });
  });

  it('holds a larger burst when told to', () => {
    const limiter = new QuotaLimiter({ clock: manualClock(), burstSeconds: 3, quotas: [{ application: 'a', bytesPerSecond: 100 }] });
    expect(limiter.tryAcquire('a', 300).allowed).toBe(true);
    expect(limiter.tryAcquire('a', 1).allowed).toBe(false);
  });

  it('does not limit applications without a quota or with only null limits', () => {
    const limiter = new QuotaLimiter({
      clock: manualClock(),
      quotas: [{ application: 'open', bytesPerSecond: null, requestsPerSecond: null }],
    });
    for (let i = 0; i < 1000; i++) {
      expect(limiter.tryAcquire('open', 1_000_000).allowed).toBe(true);
      expect(limiter.tryAcquire('nobody', 1_000_000).allowed).toBe(true);
    }
  });

  it('keeps a bucket’s level across a reload, so reloading never hands out a fresh burst', () => {
    const clock = manualClock();
    const rows = [{ application: 'a', bytesPerSecond: 1000, requestsPerSecond: null, updatedAt: new Date(0) }];
    const limiter = new QuotaLimiter({ clock, quotas: rows });
    expect(limiter.tryAcquire('a', 1000).allowed).toBe(true);
    limiter.replaceQuotas(rows);
    expect(limiter.tryAcquire('a', 1).allowed).toBe(false);

    // A lowered limit keeps what is left, up to the new bucket size.
    clock.advance(1000);
    limiter.setQuota({ application: 'a', bytesPerSecond: 100 });
    expect(limiter.tryAcquire('a', 100).allowed).toBe(true);
    expect(limiter.tryAcquire('a', 1).allowed).toBe(false);

    limiter.replaceQuotas([]);
    expect(limiter.tryAcquire('a', 1_000_000).allowed).toBe(true);
    limiter.setQuota({ application: 'a', bytesPerSecond: 10 });
    limiter.removeQuota('a');
    expect(limiter.tryAcquire('a', 1_000_000).allowed).toBe(true);
  });

  it('neither refills nor breaks when the clock steps back', () => {
    const clock = manualClock(10_000);
    const limiter = new QuotaLimiter({ clock, quotas: [{ application: 'a', bytesPerSecond: 1000 }] });
    expect(limiter.tryAcquire('a', 1000).allowed).toBe(true);
    clock.set(5_000);
    expect(limiter.tryAcquire('a', 500)).toEqual({ allowed: false, retryAfterMs: 500, limit: 'bytesPerSecond' });
    clock.set(10_500);
    expect(limiter.tryAcquire('a', 500).allowed).toBe(true);
  });

  it('rejects bad input with the field, the value and what was expected', () => {
    const limiter = new QuotaLimiter({ clock: manualClock() });
    expect(() => limiter.tryAcquire('a', -1)).toThrow('bytes: expected a non-negative integer, got -1');
    expect(() => limiter.tryAcquire('a', 1.5)).toThrow(ValidationError);
    try {
      new QuotaLimiter({ clock: manualClock(), quotas: [{ application: 'a', bytesPerSecond: 0 }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'quotas.0.bytesPerSecond' });
      expect((error as Error).message).toBe(
        'invalid quota: quotas.0.bytesPerSecond: expected a positive integer or null (no limit), got 0',
      );
    }
    expect(() => new QuotaLimiter({ clock: manualClock(), burstSeconds: 0 })).toThrow(
      'burstSeconds: expected a finite number > 0, got 0',
    );
  });
});

describe('quota input', () => {
  it('accepts positive integer limits or null, and rejects the rest with a named field', () => {
    expect(parseQuota({ application: 'billing', bytesPerSecond: 1_048_576, requestsPerSecond: null })).toEqual({
      application: 'billing',
      bytesPerSecond: 1_048_576,
      requestsPerSecond: null,
    });
    expect(quotaInputSchema.safeParse({ application: 'billing' }).success).toBe(true);
    expect(() => parseQuota({ application: 'billing', bytesPerSecond: 2.5 })).toThrow(
      'invalid quota: bytesPerSecond: expected a positive integer or null (no limit), got 2.5',
    );
    expect(() => parseQuota({ application: 'billing', bytesPerSec: 5 })).toThrow(
      'invalid quota: unknown key "bytesPerSec", expected only application, bytesPerSecond, requestsPerSecond',
    );
    expect(() => parseQuota({ application: 'billing', requestsPerSecond: '10' })).toThrow(
      'invalid quota: requestsPerSecond: expected a positive integer or null (no limit), got "10"',
    );
  });
});

describe('retryAfterSeconds', () => {
  it('rounds up to whole seconds, at least one', () => {
    expect([1, 999, 1000, 1001, 4001].map(retryAfterSeconds)).toEqual([1, 1, 1, 2, 5]);
  });
});
