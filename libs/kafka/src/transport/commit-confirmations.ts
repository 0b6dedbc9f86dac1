// librdkafka confirms a consumer's async commits one by one, in the order they were made,
// through one callback with no reference to the commit. This pairs each confirmation with the
// oldest commit still waiting, and fails a commit that waits too long without breaking the
// pairing of those after it.

/** How long a commit waits for its confirmation before it fails as unavailable. */
export const COMMIT_TIMEOUT_MS = 30_000;

interface PendingCommit {
  settled: boolean;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly timer: NodeJS.Timeout;
}

export class CommitConfirmations {
  private readonly pending: PendingCommit[] = [];

  constructor(private readonly timeoutMs = COMMIT_TIMEOUT_MS) {}

  /**
   * Settles with the confirmation of the commit just made: resolves on success, rejects with its
   * error, or with `onTimeout()` when none came within the timeout.
   */
  next(onTimeout: () => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const pending: PendingCommit = {
        settled: false,
        resolve,
        reject,
        // The entry stays queued after a timeout so later confirmations still pair up in order.
        timer: setTimeout(() => settle(pending, onTimeout()), this.timeoutMs),
      };
      this.pending.push(pending);
    });
  }

  /** The client confirmed its oldest outstanding commit, with an error or without. */
  confirm(error: unknown): void {
    const pending = this.pending.shift();
    if (pending) settle(pending, error);
  }

  /** Fails every commit still waiting (the consumer closed). */
  failAll(error: unknown): void {
    for (const pending of this.pending.splice(0)) settle(pending, error);
  }
}

function settle(pending: PendingCommit, error: unknown): void {
  if (pending.settled) return;
  pending.settled = true;
  clearTimeout(pending.timer);
  if (error === undefined) pending.resolve();
  else pending.reject(error);
}
