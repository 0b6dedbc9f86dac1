// Absolute deadlines for transport calls: a send owns `deliveryTimeoutMs` in total, however many
// connects, metadata look-ups and retries it needs, so every wait inside it is bounded by the
// time left rather than by a timeout of its own.

export function remainingMs(deadline: number): number {
  return Math.max(0, deadline - Date.now());
}

/**
 * Resolves or rejects like `work`, or rejects with `onTimeout()` at the deadline. The library
 * call behind `work` is not cancelled (none of them can be); its late outcome is ignored.
 */
export function beforeDeadline<T>(work: Promise<T>, deadline: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), remainingMs(deadline));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
