// Puts a given volume into a topic as fast as this machine allows: Kafka's own ProducerPerformance
// (Java client) with acks=1 and large batches, 1 KiB records. What is measured afterwards is what
// the data costs to move, not how it got there, so durability settings do not matter here.
import { parseProducerSummary, type ToolResult } from './kafka-perf-tools';
import { runKafkaTool } from './kafka-java-tool';

export const FILL_RECORD_BYTES = 1024;
export const FILL_PRODUCER_PROPS = ['acks=1', 'linger.ms=20', 'batch.size=1048576', 'buffer.memory=67108864', 'compression.type=none'] as const;

export interface FillResult extends ToolResult {
  elapsedMs: number;
}

export async function fillTopic(options: { bootstrap: readonly string[]; topic: string; bytes: number; workDir: string }): Promise<FillResult> {
  const records = Math.ceil(options.bytes / FILL_RECORD_BYTES);
  const started = performance.now();
  const output = await runKafkaTool(
    'org.apache.kafka.tools.ProducerPerformance',
    [
      '--topic',
      options.topic,
      '--num-records',
      String(records),
      '--record-size',
      String(FILL_RECORD_BYTES),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${options.bootstrap.join(',')}`,
      ...FILL_PRODUCER_PROPS,
    ],
    // A gigabyte at a few MB/s on a busy machine still fits.
    { workDir: options.workDir, timeoutMs: 30 * 60_000 },
  );
  const result = parseProducerSummary(output);
  if (result.records !== records) throw new Error(`ProducerPerformance sent ${result.records} records to ${options.topic}, expected ${records}`);
  return { ...result, elapsedMs: performance.now() - started };
}
