// The one retry loop: call `work` until it succeeds, waiting `backoffDelay` between attempts,
// and stop on a failure that is not worth repeating, at a deadline or when aborted. Waits are
// `sleep` from node:timers/promises, so an abort ends a wait at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type BackoffPolicy } from './backoff';

export interface RetryOptions {
  readonly backoff: BackoffPolicy;
  /** Whether a failure is worth another attempt; by default every failure is. */
  readonly retryIf?: (error: unknown, attempt: number) => boolean;
  /** Attempts in all, the first included; unbounded by default. */
  readonly maxAttempts?: number;
  /**
   * Absolute time (`now()` scale) by which the caller must have an answer: a failure whose wait
   * would end at or after it is final, and rejects with `onDeadline(error)` (by default the error).
   */
  readonly deadline?: number;
  readonly onDeadline?: (error: unknown) => unknown;
  /** Ends the loop: a pending wait stops at once and `retry` rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called before each wait, e.g. to log or count the failure. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Whether a pending wait keeps the process alive (default true, as `setTimeout` does). */
  readonly ref?: boolean;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** The result of the first successful `work(attempt)`, attempt counting from 0. */
export async function retry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { signal, maxAttempts = Infinity, now = Date.now } = options;
  for (let attempt = 0; ; attempt += 1) {
    signal?.throwIfAborted();
    try {
      return await work(attempt);
    } catch (error: unknown) {
      signal?.throwIfAborted();
      if (attempt + 1 >= maxAttempts || !(options.retryIf?.(error, attempt) ?? true)) throw error;
      const delayMs = backoffDelay(options.backoff, attempt, options.random);
      if (options.deadline !== undefined && now() + delayMs >= options.deadline) {
        throw options.onDeadline ? options.onDeadline(error) : error;
      }
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, undefined, { ref: options.ref ?? true, ...(signal ? { signal } : {}) }).catch(() => signal?.throwIfAborted());
    }
  }
}
