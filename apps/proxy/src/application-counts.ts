// What the proxy took from and gave to each application, records and bytes per one-minute window,
// for its heartbeats: management keeps them with the proxy's session (`flotilla clients list --json`).
import { WindowedCounts, type ApplicationWindowCount } from '@flotilla/client/internal';

export class ApplicationCounts {
  readonly #records: WindowedCounts;
  readonly #bytes: WindowedCounts;
  readonly #consumedRecords: WindowedCounts;
  readonly #consumedBytes: WindowedCounts;

  constructor(now: () => number = Date.now) {
    const counts = () => new WindowedCounts(60_000, 10, now);
    this.#records = counts();
    this.#bytes = counts();
    this.#consumedRecords = counts();
    this.#consumedBytes = counts();
  }

  /** Records (and their request bytes) written for the application. */
  add(application: string, records: number, bytes: number): void {
    this.#records.add(application, records);
    this.#bytes.add(application, bytes);
  }

  /** Records (and their key and value bytes) handed to the application's HTTP consumers. */
  consumed(application: string, records: number, bytes: number): void {
    this.#consumedRecords.add(application, records);
    this.#consumedBytes.add(application, bytes);
  }

  /** Every retained window of every application, oldest first; consumed counts only where there were some. */
  snapshot(): ApplicationWindowCount[] {
    const byKey = (counts: WindowedCounts) => new Map(counts.snapshot().map(({ topic, windowStart, count }) => [`${windowStart}|${topic}`, count]));
    const [records, bytes, consumedRecords, consumedBytes] = [this.#records, this.#bytes, this.#consumedRecords, this.#consumedBytes].map(byKey) as [Map<string, number>, Map<string, number>, Map<string, number>, Map<string, number>];
    const keys = [...new Set([...records.keys(), ...consumedRecords.keys()])];
    const windows = keys.map((key) => {
      const [windowStart, application] = [Number(key.slice(0, key.indexOf('|'))), key.slice(key.indexOf('|') + 1)];
      const consumed = consumedRecords.get(key);
      return {
        application,
        windowStart,
        records: records.get(key) ?? 0,
        bytes: bytes.get(key) ?? 0,
        ...(consumed === undefined ? {} : { consumedRecords: consumed, consumedBytes: consumedBytes.get(key) ?? 0 }),
      };
    });
    return windows.sort((a, b) => a.windowStart - b.windowStart || keys.indexOf(`${a.windowStart}|${a.application}`) - keys.indexOf(`${b.windowStart}|${b.application}`));
  }
}
