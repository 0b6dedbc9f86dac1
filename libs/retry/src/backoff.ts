// Backoff arithmetic: the delay before retry number `attempt` (0 for the first retry) doubles
// from `initialMs` up to `maxMs`. Pure, with the random source injected, so every retrying
// caller shares one rule and tests can pin it.

export interface BackoffPolicy {
  /** The first delay; at least 1 ms. */
  readonly initialMs: number;
  /** The cap the delays grow to; never below `initialMs`. */
  readonly maxMs: number;
  /**
   * Draw each delay from the upper half of its step. Wanted where many clients retry the same
   * server: after a restart they must not all come back in the same millisecond.
   */
  readonly jitter?: boolean;
}

/** The delay before retry `attempt` (0-based) under `policy`, in whole milliseconds. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const initial = Math.max(1, policy.initialMs);
  const max = Math.max(initial, policy.maxMs);
  // The exponent is capped so a long outage cannot overflow it to Infinity.
  const ceiling = Math.min(max, initial * 2 ** Math.min(Math.max(0, attempt), 52));
  return policy.jitter ? Math.round(ceiling / 2 + (random() * ceiling) / 2) : Math.round(ceiling);
}

/**
 * The same rule for callers that schedule their own timers instead of awaiting `retry`: `next()`
 * gives the next delay, `reset()` starts over after a success.
 */
export class Backoff {
  readonly #policy: BackoffPolicy;
  readonly #random: () => number;
  #attempt = 0;

  constructor(policy: BackoffPolicy, random: () => number = Math.random) {
    this.#policy = policy;
    this.#random = random;
  }

  next(): number {
    const delay = backoffDelay(this.#policy, this.#attempt, this.#random);
    // Stops counting at the cap, where further doubling changes nothing.
    if (backoffDelay({ ...this.#policy, jitter: false }, this.#attempt) < this.#policy.maxMs) this.#attempt += 1;
    return delay;
  }

  /** After a success: the next failure waits `initialMs` again. */
  reset(): void {
    this.#attempt = 0;
  }
}
