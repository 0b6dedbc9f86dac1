// Kafka's own load generators from kafka-tools (org.apache.kafka.tools.ProducerPerformance and
// ConsumerPerformance), run from the project's jars: the Java client is the reference that
// every Node client is compared with. Their own summaries are parsed, so JVM start-up is not
// counted against them.
import { runKafkaTool } from './kafka-java-tool';

export interface ToolResult {
  records: number;
  recordsPerSecond: number;
  /** MiB/s as the tool prints it ("MB/sec", computed with 1024 × 1024). */
  mibPerSecond: number;
}

/**
 * acks and idempotence as for every Node client; linger.ms as node-rdkafka's. batch.size is
 * raised from the 16 KiB default, which leaves the Java producer batch-bound on this setup
 * (measured about half the throughput and 500 ms queueing latency): the Node clients send
 * 100 KB–1 MB per request, so 256 KiB per partition batch is the comparable setting.
 */
export const JAVA_PRODUCER_PROPS = ['acks=all', 'enable.idempotence=true', 'linger.ms=5', 'batch.size=262144'] as const;

const TIMEOUT_MS = 300_000;

function java(workDir: string, mainClass: string, args: readonly string[]): Promise<string> {
  return runKafkaTool(mainClass, args, { workDir, timeoutMs: TIMEOUT_MS });
}

export async function producerPerformance(options: {
  bootstrap: readonly string[];
  topic: string;
  records: number;
  recordSize: number;
  workDir: string;
}): Promise<ToolResult> {
  const output = await java(options.workDir, 'org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    '--record-size',
    String(options.recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${options.bootstrap.join(',')}`,
    ...JAVA_PRODUCER_PROPS,
  ]);
  return parseProducerSummary(output);
}

/**
 * The final line: "200000 records sent, 123456.7 records/sec (11.77 MB/sec), 3.2 ms avg latency,
 * 250.0 ms max latency, 2 ms 50th, ...". Interim lines have the same prefix but no percentiles.
 */
export function parseProducerSummary(output: string): ToolResult {
  const summary = output
    .split('\n')
    .filter((line) => line.includes(' 50th'))
    .at(-1);
  const match = summary?.match(/^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/);
  if (!match?.[1] || !match[2] || !match[3]) {
    throw new Error(`ProducerPerformance printed no summary line ("N records sent, X records/sec (Y MB/sec), ... 50th ..."):\n${output.slice(-2000)}`);
  }
  return { records: Number(match[1]), recordsPerSecond: Number(match[2]), mibPerSecond: Number(match[3]) };
}

export async function consumerPerformance(options: {
  bootstrap: readonly string[];
  topic: string;
  records: number;
  groupId: string;
  workDir: string;
}): Promise<ToolResult> {
  const output = await java(options.workDir, 'org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    options.bootstrap.join(','),
    '--topic',
    options.topic,
    '--messages',
    String(options.records),
    '--group',
    options.groupId,
    '--timeout',
    '60000',
  ]);
  return parseConsumerSummary(output);
}

/**
 * ConsumerPerformance prints a header and one CSV line:
 * start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
 * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec.
 * The fetch.* figures run from partition assignment to the last record (the group join
 * excluded), which is how the Node consumers are timed too.
 */
export function parseConsumerSummary(output: string): ToolResult {
  const lines = output.split('\n');
  const headerAt = lines.findIndex((line) => line.startsWith('start.time'));
  const header = lines[headerAt]?.split(',').map((h) => h.trim());
  // stderr is interleaved with stdout here: take the next line with as many columns as the header.
  const values = lines
    .slice(headerAt + 1)
    .map((line) => line.split(',').map((v) => v.trim()))
    .find((cells) => headerAt >= 0 && cells.length === header?.length);
  const field = (name: string): number => {
    const at = header?.indexOf(name) ?? -1;
    const value = at >= 0 ? Number(values?.[at]) : Number.NaN;
    if (!Number.isFinite(value)) {
      throw new Error(`ConsumerPerformance output has no numeric "${name}" column:\n${output.slice(-2000)}`);
    }
    return value;
  };
  const records = field('data.consumed.in.nMsg');
  const fetchMs = field('fetch.time.ms');
  if (fetchMs <= 0) throw new Error(`ConsumerPerformance reported fetch.time.ms ${fetchMs}; cannot compute a rate:\n${output.slice(-2000)}`);
  return { records, recordsPerSecond: field('fetch.nMsg.sec'), mibPerSecond: field('fetch.MB.sec') };
}
