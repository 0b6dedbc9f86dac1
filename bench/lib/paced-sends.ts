// Open-loop pacing for acknowledgement latency: record i is due at start + i / rate and is sent
// when due, whatever earlier acknowledgements are doing. A closed loop (send the next record
// when the last is acknowledged) would slow down exactly when acknowledgements are slow and so
// hide the tail being measured.
import { setTimeout as sleep } from 'node:timers/promises';
import { within } from './throughput-client';

export interface LatencyRun {
  bootstrap: readonly string[];
  topic: string;
  /** Records sent, one per send call, after one priming record the run waits for. */
  records: number;
  ratePerSecond: number;
  /** Every record carries this value and no key. */
  payload: Buffer;
}

export interface LatencySample {
  /** Acknowledgement instant − send call instant, per record, in ms. */
  latenciesMs: number[];
  /** How far the latest send call fell behind its due instant, ms: the schedule held if small. */
  maxLagMs: number;
}

/** Waiting for the last acknowledgements: well beyond any delivery timeout the bench sets. */
const DRAIN_TIMEOUT_MS = 60_000;

/**
 * Calls `send(i)` for i = 0 … records − 1, each at its due instant (or, after a late timer, at
 * once with every other record then due), and times each from just before the call to its
 * promise settling. The first failure fails the run once every send has settled.
 */
export async function sendPaced(records: number, ratePerSecond: number, send: (index: number) => Promise<unknown>): Promise<LatencySample> {
  const latenciesMs = new Array<number>(records);
  const acknowledged: Promise<void>[] = [];
  let failure: unknown;
  let maxLagNs = 0n;
  const intervalNs = 1e9 / ratePerSecond;
  const start = process.hrtime.bigint();
  for (let i = 0; i < records; i++) {
    const due = start + BigInt(Math.round(i * intervalNs));
    const early = Number(due - process.hrtime.bigint()) / 1e6;
    // A timer fires no sooner than asked and at 1 ms granularity: records due within the same
    // millisecond go together, as a late timer's backlog does.
    if (early >= 1) await sleep(Math.floor(early));
    const sentAt = process.hrtime.bigint();
    if (sentAt - due > maxLagNs) maxLagNs = sentAt - due;
    acknowledged.push(
      send(i).then(
        () => {
          latenciesMs[i] = Number(process.hrtime.bigint() - sentAt) / 1e6;
        },
        (error: unknown) => {
          failure ??= error;
        },
      ),
    );
    if (failure !== undefined) break;
  }
  await within(DRAIN_TIMEOUT_MS, () => `acknowledgements of ${records} paced records`, Promise.all(acknowledged));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  return { latenciesMs, maxLagMs: Number(maxLagNs) / 1e6 };
}
