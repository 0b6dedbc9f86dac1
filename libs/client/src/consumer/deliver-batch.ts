// One batch from a transport to the application's handler, with KafkaJS' semantics: eachBatch
// gets the batch and resolves offsets itself (all of it counts as handled when it resolves
// none), eachMessage gets record after record until the consumer stops.
import type { ConsumedBatch } from '@flotilla/kafka';
import type { ConsumerMessage, ConsumerRunConfig } from './consumer-types';

export interface BatchContext {
  readonly cluster: string;
  readonly isRunning: () => boolean;
  readonly isStale: () => boolean;
  /** Pauses the batch's partition; returns the call that resumes it. */
  readonly pause: () => () => void;
}

export interface Delivered {
  /** The offset of the last record handled; the commit goes one past it. */
  readonly resolved: string;
  /** How many of the batch's records that covers. */
  readonly handled: number;
}

/** Hands `batch` to the handler in `config`; what it handled, or undefined when nothing. */
export async function deliverBatch(config: ConsumerRunConfig, batch: ConsumedBatch, context: BatchContext): Promise<Delivered | undefined> {
  // A transport's record already has every field of a KafkaJS message (plus its topic and
  // partition): handed over as it is, with no copy per record.
  const messages: ConsumerMessage[] = batch.records;
  const { cluster, isRunning, pause } = context;
  let resolved: string | undefined;
  const heartbeat = async (): Promise<void> => {};
  if (config.eachBatch) {
    await config.eachBatch({
      batch: { cluster, topic: batch.topic, partition: batch.partition, highWatermark: batch.highWatermark ?? '-1', messages },
      resolveOffset: (offset) => {
        resolved = offset;
      },
      heartbeat,
      isRunning,
      isStale: context.isStale,
      pause,
    });
    if (resolved === undefined && messages.length > 0) resolved = messages[messages.length - 1]!.offset;
  } else {
    for (const message of messages) {
      if (!isRunning()) break;
      await config.eachMessage!({ cluster, topic: batch.topic, partition: batch.partition, message, heartbeat, pause });
      resolved = message.offset;
    }
  }
  if (resolved === undefined) return undefined;
  // Records are in offset order: the handled ones are those up to the resolved offset.
  const at = messages.at(-1)?.offset === resolved ? messages.length - 1 : messages.findIndex((m) => m.offset === resolved);
  const last = resolved;
  return { resolved, handled: at >= 0 ? at + 1 : messages.filter((m) => BigInt(m.offset) <= BigInt(last)).length };
}
