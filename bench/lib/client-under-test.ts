// What the client benchmark measures of each contender (the smart client, the transport it
// wraps, a library used directly), and the two drivers they share: a window of outstanding
// send() calls, and a counter that times a consumer from its first record to its last.
import type { LatencyRun, LatencySample } from './paced-sends';
import type { ConsumeRun, ProduceRun } from './throughput-client';
import { elapsedSeconds } from './throughput-client';

export interface ClientProduceRun extends ProduceRun {
  partitions: number;
}

export interface ProduceSample {
  records: number;
  /** From the first send to the last acknowledgement. */
  seconds: number;
  /**
   * Smart client and transport: before the clock starts each sends one record to the topic and
   * waits for it (connecting, loading the topic's metadata), so the topic holds `records` + 1.
   */
  primed?: { seconds: number };
  /** CPU time of the whole process (every thread) within `seconds`. */
  cpuSeconds: number;
}

export interface ConsumeSample {
  records: number;
  /**
   * From partition assignment to the last record, as Kafka's ConsumerPerformance times its
   * fetch.* figures (connecting and the group join excluded; offset lookup and first fetch in).
   */
  seconds: number;
  /** The part of `seconds` before the first record arrived. */
  leadInSeconds: number;
}

export interface ClientUnderTest {
  readonly name: string;
  readonly producerSettings: string;
  readonly consumerSettings: string;
  produce(run: ClientProduceRun): Promise<ProduceSample>;
  consume(run: ConsumeRun): Promise<ConsumeSample>;
  /** One record per send call at a fixed rate, open loop (sendPaced); the topic then holds `run.records` + 1. */
  ackLatency?(run: LatencyRun): Promise<LatencySample>;
}

/** Records per send() call, and calls outstanding at once: the same for every producer. */
export const RECORDS_PER_SEND = 1_000;
export const SENDS_OUTSTANDING = 5;
/**
 * The linger each client is given: librdkafka's (5 ms, its default) for node-rdkafka and the
 * smart client over it; none over kafkajs, which has no linger of its own. The transport takes
 * none: it sends what it is handed.
 */
export const LINGER_MS: Readonly<Record<'kafkajs' | 'rdkafka', number>> = { kafkajs: 0, rdkafka: 5 };
export const DELIVERY_TIMEOUT_MS = 30_000;
/** A stalled client fails its measurement instead of hanging the run. */
export const RUN_TIMEOUT_MS = 180_000;

/**
 * Calls `send` for consecutive chunks of up to `chunk` records that together cover `records`,
 * keeping `outstanding` calls unsettled at once: each lane claims its chunk before awaiting.
 * `index` numbers the chunks in claim order.
 */
export async function sendInWindow(
  records: number,
  chunk: number,
  outstanding: number,
  send: (count: number, index: number) => Promise<unknown>,
): Promise<void> {
  let claimed = 0;
  let index = 0;
  const lane = async (): Promise<void> => {
    while (claimed < records) {
      const count = Math.min(chunk, records - claimed);
      claimed += count;
      await send(count, index++);
    }
  };
  await Promise.all(Array.from({ length: outstanding }, lane));
}

/**
 * Counts what a consumer hands out and notes the instants of partition assignment, its first
 * record and its expected-th record.
 */
export class ReadCounter {
  private seen = 0;
  private assignedAt: bigint | undefined;
  private first: bigint | undefined;
  private last: bigint | undefined;
  private finish: () => void = () => undefined;
  readonly done = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(private readonly expected: number) {}

  /** The transport's run() resolved: the group has handed out the partitions. */
  assigned(): void {
    this.assignedAt ??= process.hrtime.bigint();
  }

  add(records: number): void {
    if (records === 0) return;
    this.first ??= process.hrtime.bigint();
    this.seen += records;
    if (this.seen >= this.expected && this.last === undefined) {
      this.last = process.hrtime.bigint();
      this.finish();
    }
  }

  progress(): string {
    return `${this.seen} of ${this.expected} records`;
  }

  /** Fails unless exactly the expected records arrived: more means some were delivered twice. */
  sample(who: string): ConsumeSample {
    if (this.assignedAt === undefined || this.first === undefined || this.last === undefined || this.seen !== this.expected) {
      throw new Error(`${who} read ${this.progress()}${this.assignedAt === undefined ? ' without seeing partition assignment' : ''}`);
    }
    // run() resolving and the first batch may be noticed in either order within one turn.
    const from = this.assignedAt < this.first ? this.assignedAt : this.first;
    return { records: this.seen, seconds: elapsedSeconds(from, this.last), leadInSeconds: elapsedSeconds(from, this.first) };
  }
}
