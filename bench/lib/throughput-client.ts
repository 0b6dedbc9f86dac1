// What every client under benchmark offers: produce N records to a topic and read N records
// back, each returning how many it moved and how long that took; some also time each record's
// acknowledgement at a fixed rate.
import type { LatencyRun, LatencySample } from './paced-sends';

export interface ProduceRun {
  bootstrap: readonly string[];
  topic: string;
  records: number;
  /** Every record carries this value and no key. */
  payload: Buffer;
  /**
   * Send one record and wait for it before the clock starts (connection and topic metadata
   * out of the timing, as for the smart client); the topic then holds `records` + 1.
   */
  prime?: boolean;
}

export interface ConsumeRun {
  bootstrap: readonly string[];
  topic: string;
  records: number;
  /** A group that has never committed, so the read starts at the beginning of the topic. */
  groupId: string;
}

export interface Measurement {
  records: number;
  /** Value bytes moved (keys, headers and protocol overhead not counted, as in Kafka's tools). */
  bytes: number;
  /**
   * Producers: from the first send to the last acknowledgement. Consumers: from partition
   * assignment to the last record, as Kafka's ConsumerPerformance times its fetch.* figures
   * (connecting and joining the group excluded; looking up offsets and the first fetch included).
   */
  seconds: number;
  /** Consumers: the part of `seconds` before the first record arrived. */
  leadInSeconds?: number;
  /** Producers run with `prime`: how long the priming record took. */
  primedSeconds?: number;
  /** Producers: CPU time of this whole process (every thread) within `seconds`. */
  cpuSeconds?: number;
}

export interface ThroughputClient {
  readonly name: string;
  /** One line per direction for RESULTS.md: the settings that decide throughput. */
  readonly producerSettings: string;
  readonly consumerSettings: string;
  produce(run: ProduceRun): Promise<Measurement>;
  consume(run: ConsumeRun): Promise<Measurement>;
  /**
   * One record per send call at `run.ratePerSecond`, open loop (sendPaced), with the producer
   * settings of `produce`; one priming record first, so the topic holds `run.records` + 1.
   */
  ackLatency?(run: LatencyRun): Promise<LatencySample>;
}

export const MIB = 1024 * 1024;

export function recordsPerSecond(m: Measurement): number {
  return m.records / m.seconds;
}

/** MiB/s, the unit Kafka's ProducerPerformance and ConsumerPerformance print as "MB/sec". */
export function mibPerSecond(m: Measurement): number {
  return m.bytes / MIB / m.seconds;
}

export function elapsedSeconds(startNs: bigint, endNs: bigint = process.hrtime.bigint()): number {
  return Number(endNs - startNs) / 1e9;
}

export interface Clock {
  readonly startNs: bigint;
  readonly cpu: NodeJS.CpuUsage;
}

/**
 * Starts timing wall time and this process's CPU time together. The CPU time covers every thread
 * (the client library's own, such as librdkafka's, and V8's garbage collector), so it says what a
 * client costs per record where its msgs/s on a shared machine moves with everything else.
 */
export function startClock(): Clock {
  return { startNs: process.hrtime.bigint(), cpu: process.cpuUsage() };
}

export function readClock(clock: Clock): { seconds: number; cpuSeconds: number } {
  const seconds = elapsedSeconds(clock.startNs);
  const cpu = process.cpuUsage(clock.cpu);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** A consumer's measurement from the instants it saw: partition assignment, first and last record. */
export function consumerMeasurement(
  client: string,
  run: ConsumeRun,
  seen: { records: number; bytes: number; assigned?: bigint | undefined; first?: bigint | undefined; last?: bigint | undefined },
): Measurement {
  const { assigned, first, last } = seen;
  if (assigned === undefined || first === undefined || last === undefined || assigned > first) {
    throw new Error(`${client} read ${seen.records} of ${run.records} records without seeing assignment, first and last record in order`);
  }
  return { records: seen.records, bytes: seen.bytes, seconds: elapsedSeconds(assigned, last), leadInSeconds: elapsedSeconds(assigned, first) };
}

/**
 * Rejects when `work` has not settled in time, so a client that stalls (a consumer that never
 * gets its last record) fails the run with a reason instead of hanging it.
 */
export async function within<T>(ms: number, what: () => string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what()} after ${ms / 1000} s`)), ms);
  });
  // After a timeout the work may still fail (its client is being closed): that is expected.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `count` values from `make`, built with a plain loop as an application fills the array it
 * sends. Not `Array.from({ length: count }, make)`: that reads each index of the `{ length }`
 * object through a generic property lookup, 80-95 ns per item against about 10 here (Node 20),
 * which had the bench charge the clients that take message objects some 1.5% of a 100 B record
 * over node-rdkafka for building the caller's array.
 */
export function filledArray<T>(count: number, make: () => T): T[] {
  const items = new Array<T>(count);
  for (let i = 0; i < count; i++) items[i] = make();
  return items;
}
