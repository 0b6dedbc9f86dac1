import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuotaLimiter } from './index';

const step = fc.record({ advanceMs: fc.integer({ min: 0, max: 1500 }), bytes: fc.integer({ min: 0, max: 3000 }) });

describe('QuotaLimiter (properties)', () => {
  it('never lets through more than the burst plus the rate over the elapsed time (plus one oversized request)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(step, { maxLength: 200 }),
        (bytesPerSecond, requestsPerSecond, steps) => {
          let now = 0;
          const limiter = new QuotaLimiter({ clock: { now: () => now }, quotas: [{ application: 'a', bytesPerSecond, requestsPerSecond }] });
          let bytes = 0;
          let requests = 0;
          let largest = 0;
          for (const { advanceMs, bytes: size } of steps) {
            now += advanceMs;
            if (limiter.tryAcquire('a', size).allowed) {
              bytes += size;
              requests += 1;
              largest = Math.max(largest, size);
            }
          }
          const seconds = now / 1000;
          expect(bytes).toBeLessThanOrEqual(bytesPerSecond + bytesPerSecond * seconds + Math.max(0, largest - bytesPerSecond));
          expect(requests).toBeLessThanOrEqual(requestsPerSecond + requestsPerSecond * seconds + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('allows a refused request after exactly retryAfterMs, and not a millisecond earlier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 50 }), fc.array(step, { maxLength: 100 }), (bytesPerSecond, requestsPerSecond, steps) => {
        let now = 0;
        const limiter = new QuotaLimiter({ clock: { now: () => now }, quotas: [{ application: 'a', bytesPerSecond, requestsPerSecond }] });
        for (const { advanceMs, bytes } of steps) {
          now += advanceMs;
          const decision = limiter.tryAcquire('a', bytes);
          if (decision.allowed) continue;
          expect(decision.retryAfterMs).toBeGreaterThanOrEqual(1);
          if (decision.retryAfterMs > 1) {
            now += decision.retryAfterMs - 1;
            expect(limiter.tryAcquire('a', bytes).allowed).toBe(false);
            now += 1;
          } else {
            now += decision.retryAfterMs;
          }
          expect(limiter.tryAcquire('a', bytes).allowed).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
