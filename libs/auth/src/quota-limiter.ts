// Token buckets per application, one for bytes and one for requests, on an injected clock so the
// proxy uses wall time and tests use a number. The proxy answers a refusal with 429 and
// Retry-After (see `retryAfterSeconds`).
//
// Each bucket holds up to `burstSeconds` of its rate and refills continuously. A request costs
// `bytes` from one bucket and 1 from the other, and only when both can pay. A request larger
// than a whole bucket is let through once the bucket is full and leaves it in debt, so an
// oversized record is delayed, never refused forever, and the long-run rate still holds.
import { ValidationError, showValue } from '@flotilla/errors';
import { checkQuota, type Quota } from './quota';

export interface Clock {
  /** Milliseconds; only differences matter. */
  now(): number;
}

export type QuotaLimit = 'bytesPerSecond' | 'requestsPerSecond';

export type QuotaDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** How long until the same request would be allowed, in whole milliseconds (≥ 1). */
      readonly retryAfterMs: number;
      /** The limit that needs the longest wait. */
      readonly limit: QuotaLimit;
    };

export interface QuotaLimiterOptions {
  readonly clock: Clock;
  readonly quotas?: readonly Quota[];
  /** How many seconds of its rate a bucket holds, i.e. the burst allowed after idling. Default 1. */
  readonly burstSeconds?: number;
}

// Levels are kept in token-milliseconds (tokens × 1000) so that refilling `rate` per second over
// whole milliseconds adds whole numbers, and waiting exactly `retryAfterMs` always suffices.
interface Bucket {
  readonly ratePerSecond: number;
  readonly capacity: number;
  level: number;
  updatedAt: number;
}

interface Entry {
  readonly bytes: Bucket | undefined;
  readonly requests: Bucket | undefined;
}

const ALLOWED: QuotaDecision = Object.freeze({ allowed: true });

function refill(bucket: Bucket, now: number): void {
  // A clock that steps back (NTP) must not drain or overfill a bucket.
  const elapsed = now - bucket.updatedAt;
  if (elapsed <= 0) return;
  bucket.level = Math.min(bucket.capacity, bucket.level + elapsed * bucket.ratePerSecond);
  bucket.updatedAt = now;
}

/** Milliseconds until `bucket` can pay `cost` tokens, 0 when it can now. */
function waitFor(bucket: Bucket, cost: number): number {
  const needed = Math.min(cost * 1000, bucket.capacity);
  if (bucket.level >= needed) return 0;
  return Math.max(1, Math.ceil((needed - bucket.level) / bucket.ratePerSecond));
}

export class QuotaLimiter {
  readonly #clock: Clock;
  readonly #burstSeconds: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: QuotaLimiterOptions) {
    this.#clock = options.clock;
    const burstSeconds = options.burstSeconds ?? 1;
    if (!(Number.isFinite(burstSeconds) && burstSeconds > 0)) {
      throw new ValidationError(`burstSeconds: expected a finite number > 0, got ${showValue(burstSeconds)}`, {
        field: 'burstSeconds',
      });
    }
    this.#burstSeconds = burstSeconds;
    this.replaceQuotas(options.quotas ?? []);
  }

  /** Sets or changes one application's quota; an unchanged limit keeps its bucket's level. */
  setQuota(quota: Quota): void {
    checkQuota(quota);
    this.#apply(quota, this.#clock.now());
  }

  removeQuota(application: string): void {
    this.#entries.delete(application);
  }

  /**
   * Replaces every quota, as when the proxy reloads them from the registry. Applications still
   * present keep their buckets' levels, so a periodic reload never hands out a fresh burst.
   */
  replaceQuotas(quotas: readonly Quota[]): void {
    // Check all before changing any, so a bad row never leaves a half-applied set.
    for (const [index, quota] of quotas.entries()) checkQuota(quota, `quotas.${index}`);
    const kept = new Set(quotas.map((quota) => quota.application));
    for (const application of [...this.#entries.keys()]) {
      if (!kept.has(application)) this.#entries.delete(application);
    }
    const now = this.#clock.now();
    for (const quota of quotas) this.#apply(quota, now);
  }

  /** Takes one request of `bytes` from `application`'s quota, or says how long to wait. */
  tryAcquire(application: string, bytes: number): QuotaDecision {
    if (!(Number.isSafeInteger(bytes) && bytes >= 0)) {
      throw new ValidationError(`bytes: expected a non-negative integer, got ${showValue(bytes)}`, { field: 'bytes' });
    }
    const entry = this.#entries.get(application);
    if (entry === undefined) return ALLOWED;
    const now = this.#clock.now();
    const { bytes: byteBucket, requests: requestBucket } = entry;
    if (byteBucket !== undefined) refill(byteBucket, now);
    if (requestBucket !== undefined) refill(requestBucket, now);

    const byteWait = byteBucket === undefined ? 0 : waitFor(byteBucket, bytes);
    const requestWait = requestBucket === undefined ? 0 : waitFor(requestBucket, 1);
    if (byteWait > 0 || requestWait > 0) {
      return byteWait >= requestWait
        ? { allowed: false, retryAfterMs: byteWait, limit: 'bytesPerSecond' }
        : { allowed: false, retryAfterMs: requestWait, limit: 'requestsPerSecond' };
    }
    if (byteBucket !== undefined) byteBucket.level -= bytes * 1000;
    if (requestBucket !== undefined) requestBucket.level -= 1000;
    return ALLOWED;
  }

  #apply(quota: Quota, now: number): void {
    const previous = this.#entries.get(quota.application);
    const entry: Entry = {
      bytes: this.#bucket(quota.bytesPerSecond, previous?.bytes, now),
      requests: this.#bucket(quota.requestsPerSecond, previous?.requests, now),
    };
    if (entry.bytes === undefined && entry.requests === undefined) this.#entries.delete(quota.application);
    else this.#entries.set(quota.application, entry);
  }

  #bucket(ratePerSecond: number | null | undefined, previous: Bucket | undefined, now: number): Bucket | undefined {
    if (ratePerSecond === null || ratePerSecond === undefined) return undefined;
    const capacity = ratePerSecond * this.#burstSeconds * 1000;
    if (previous !== undefined) {
      refill(previous, now);
      if (previous.ratePerSecond === ratePerSecond && previous.capacity === capacity) return previous;
      return { ratePerSecond, capacity, level: Math.min(previous.level, capacity), updatedAt: previous.updatedAt };
    }
    return { ratePerSecond, capacity, level: capacity, updatedAt: now };
  }
}

/** The Retry-After header value (whole seconds, at least 1) for a refusal's `retryAfterMs`. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
