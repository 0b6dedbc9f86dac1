// One closed-loop HTTP load run with autocannon: a fixed number of keep-alive connections, each
// sending the same POST again as soon as the last one is answered, for a fixed time. Only the
// answers after a lead-in count: the connections are new in every run, and a server may set up
// per-connection state on a connection's first request (the Strimzi bridge starts a Kafka
// producer for each), which a long-lived keep-alive client pays once, not per measurement.
// Latencies are taken from autocannon's per-response event (hrtime, in fractional ms), not from
// its histogram, which keeps whole milliseconds only.
import autocannon from 'autocannon';

export interface LoadRun {
  readonly url: string;
  readonly connections: number;
  /** Answers before this are not measured (they are in `allOk`). */
  readonly leadInSeconds: number;
  /** The measured window's seconds, after the lead-in. */
  readonly seconds: number;
  /** Called when the measured window starts (e.g. to read a process's CPU time). */
  readonly onWindowStart?: () => void;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface LoadResult {
  /** 2xx answers within the measured window. */
  readonly ok: number;
  /** 2xx answers of the whole run, lead-in included. */
  readonly allOk: number;
  /** Other answers of the whole run, by status. */
  readonly refused: ReadonlyMap<number, number>;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** The measured window's length. */
  readonly seconds: number;
  /** Of the 2xx answers within the window, in ms. */
  readonly latenciesMs: readonly number[];
}

export function runLoad(run: LoadRun): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latenciesMs: number[] = [];
    const refused = new Map<number, number>();
    let allOk = 0;
    let windowStart: bigint | undefined;
    const leadIn = setTimeout(() => {
      windowStart = process.hrtime.bigint();
      run.onWindowStart?.();
    }, run.leadInSeconds * 1000);
    const instance = autocannon(
      { url: run.url, method: 'POST', connections: run.connections, pipelining: 1, duration: run.leadInSeconds + run.seconds, headers: { ...run.headers }, body: run.body, timeout: 30 },
      (error, result) => {
        clearTimeout(leadIn);
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (windowStart === undefined) {
          reject(new Error('the run ended before its lead-in did'));
          return;
        }
        const seconds = Number(process.hrtime.bigint() - windowStart) / 1e9;
        resolve({ ok: latenciesMs.length, allOk, refused, errors: result.errors, seconds, latenciesMs });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      if (statusCode < 200 || statusCode >= 300) {
        refused.set(statusCode, (refused.get(statusCode) ?? 0) + 1);
        return;
      }
      allOk += 1;
      if (windowStart !== undefined) latenciesMs.push(responseTimeMs);
    });
  });
}
