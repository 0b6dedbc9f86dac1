// One cluster a consumer reads from: its transport, the topics read there, and a connection
// made in the background. A cluster that is down must not hold up the others, so connecting
// retries until the cluster answers or the lane is closed.
import type { ConsumerTransport } from '@flotilla/kafka';
import { retry, type BackoffPolicy } from '@flotilla/retry';

/** Reconnection to a cluster that is down: often enough to notice its return within seconds. */
export const CONNECT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5_000 };

export class ClusterLane {
  /** Settles once connected and `onConnected` ran, or once the lane closed before that. */
  readonly connected: Promise<void>;
  readonly #closing = new AbortController();

  constructor(
    readonly cluster: string,
    readonly transport: ConsumerTransport,
    public topics: string[],
    onConnected: (lane: ClusterLane) => Promise<void>,
    backoff: BackoffPolicy = CONNECT_BACKOFF,
  ) {
    this.connected = retry(() => transport.connect(), { backoff, signal: this.#closing.signal })
      // Only a close ends the retries; onConnected sees `closed` and does nothing.
      .catch(() => undefined)
      .then(() => onConnected(this));
  }

  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await this.transport.disconnect().catch(() => undefined);
  }
}
