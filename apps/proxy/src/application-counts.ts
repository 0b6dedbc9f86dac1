// What the proxy took from each application, records and bytes per one-minute window, for its
// heartbeats: management keeps them with the proxy's session (`flotilla clients list --json`).
import { WindowedCounts, type ApplicationWindowCount } from '@flotilla/client/internal';

export class ApplicationCounts {
  readonly #records: WindowedCounts;
  readonly #bytes: WindowedCounts;

  constructor(now: () => number = Date.now) {
    this.#records = new WindowedCounts(60_000, 10, now);
    this.#bytes = new WindowedCounts(60_000, 10, now);
  }

  add(application: string, records: number, bytes: number): void {
    this.#records.add(application, records);
    this.#bytes.add(application, bytes);
  }

  /** Every retained window of every application, oldest first. */
  snapshot(): ApplicationWindowCount[] {
    const bytes = new Map(this.#bytes.snapshot().map(({ topic, windowStart, count }) => [`${windowStart}|${topic}`, count]));
    return this.#records.snapshot().map(({ topic, windowStart, count }) => ({ application: topic, windowStart, records: count, bytes: bytes.get(`${windowStart}|${topic}`) ?? 0 }));
  }
}
