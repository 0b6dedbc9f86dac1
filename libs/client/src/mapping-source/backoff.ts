// Reconnection delays: doubling from `initialMs` up to `maxMs`, each drawn from the upper half
// of its step. The jitter matters at scale: when management restarts, 10,000 followers must not
// reconnect in the same millisecond.

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(initialMs: number, maxMs: number, random: () => number = Math.random) {
    this.#initialMs = Math.max(1, initialMs);
    this.#maxMs = Math.max(this.#initialMs, maxMs);
    this.#random = random;
  }

  next(): number {
    const ceiling = Math.min(this.#maxMs, this.#initialMs * 2 ** this.#attempt);
    // Bounded so the exponent cannot grow without limit during a long outage.
    if (ceiling < this.#maxMs) this.#attempt += 1;
    return Math.round(ceiling / 2 + (this.#random() * ceiling) / 2);
  }

  /** After a connection succeeded: the next failure starts from `initialMs` again. */
  reset(): void {
    this.#attempt = 0;
  }
}
