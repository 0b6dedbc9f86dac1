// One batch from a transport to the application's handler, with KafkaJS' semantics: eachBatch
// gets the batch with its helpers and resolves offsets itself (all of it, when it returns, under
// eachBatchAutoResolve), eachMessage gets record after record until the consumer stops. What was
// handled is kept in a BatchProgress that outlives a failure, so a retry starts at the record that
// failed and never hands out again one that succeeded.
import type { ConsumedBatch } from '@flotilla/kafka';
import type { ConsumerBatch, ConsumerMessage, ConsumerRunConfig, OffsetsByTopicPartition } from './consumer-types';

export interface BatchContext {
  readonly cluster: string;
  readonly isRunning: () => boolean;
  readonly isStale: () => boolean;
  /** Pauses the batch's partition; returns the call that resumes it. */
  readonly pause: () => () => void;
  /** run()'s autoCommit: whether eachMessage commits as it goes when `commitDue` says so. */
  readonly autoCommit: boolean;
  /**
   * Whether run()'s autoCommitInterval or autoCommitThreshold is reached, given how many
   * resolved offsets are not committed yet: when commitOffsetsIfNecessary() commits (KafkaJS).
   */
  readonly commitDue: (uncommitted: bigint) => boolean;
  /** Commits offsets (the next ones to read) for the batch's cluster. */
  readonly commit: (offsets: OffsetsByTopicPartition) => Promise<void>;
}

/** What of one batch was handled, across the attempts at it. */
export interface BatchProgress {
  /** The offset of the last record handled; the commit goes one past it. */
  resolved: string | undefined;
  /** The next offset to read last committed for the partition during this batch. */
  committed: string | undefined;
}

export function newProgress(): BatchProgress {
  return { resolved: undefined, committed: undefined };
}

/**
 * Hands the records of `batch` not yet handled by an earlier attempt to the handler in `config`,
 * recording in `progress` what it handled. Rejects with the handler's error; `progress` then says
 * where the next attempt starts.
 */
export async function deliverBatch(config: ConsumerRunConfig, batch: ConsumedBatch, context: BatchContext, progress: BatchProgress): Promise<void> {
  const messages = remaining(batch.records, progress.resolved);
  const { cluster, isRunning, pause } = context;
  const uncommittedOffsets = (): OffsetsByTopicPartition => {
    const next = progress.resolved === undefined ? undefined : (BigInt(progress.resolved) + 1n).toString();
    const partitions = next !== undefined && next !== progress.committed ? [{ partition: batch.partition, offset: next }] : [];
    return { topics: partitions.length > 0 ? [{ topic: batch.topic, partitions }] : [] };
  };
  // What commitOffsetsIfNecessary() does without offsets: commit the resolved offset once due.
  const commitIfDue = async (): Promise<void> => {
    const uncommitted = uncommittedOffsets();
    const next = uncommitted.topics[0]?.partitions[0]?.offset;
    if (next === undefined) return;
    // Counted from the last commit of this batch, or from its first record.
    const from = BigInt(progress.committed ?? batch.records[0]?.offset ?? next);
    if (!context.commitDue(BigInt(next) - from)) return;
    await context.commit(uncommitted);
    progress.committed = next;
  };
  // Where the transport's library heartbeats in the background, there is nothing to do.
  const heartbeat = batch.heartbeat ?? (async (): Promise<void> => {});
  if (config.eachBatch) {
    const consumerBatch = toConsumerBatch(cluster, batch, messages);
    await config.eachBatch({
      batch: consumerBatch,
      resolveOffset: (offset) => {
        progress.resolved = offset;
      },
      heartbeat,
      commitOffsetsIfNecessary: async (offsets) => (offsets ? context.commit(offsets) : commitIfDue()),
      uncommittedOffsets,
      isRunning,
      isStale: context.isStale,
      pause,
    });
    if ((config.eachBatchAutoResolve ?? true) && messages.length > 0) progress.resolved = messages[messages.length - 1]!.offset;
    return;
  }
  for (const message of messages) {
    if (!isRunning()) break;
    await config.eachMessage!({ cluster, topic: batch.topic, partition: batch.partition, message, heartbeat, pause });
    progress.resolved = message.offset;
    if (context.autoCommit) await commitIfDue();
  }
}

/** How many of `records` are at or before `resolved` (records are in offset order). */
export function countHandled(records: readonly { offset: string }[], resolved: string | undefined): number {
  if (resolved === undefined) return 0;
  if (records.at(-1)?.offset === resolved) return records.length;
  const last = BigInt(resolved);
  let count = 0;
  while (count < records.length && BigInt(records[count]!.offset) <= last) count += 1;
  return count;
}

/** The records after `resolved`: an earlier attempt handled the others. */
function remaining<T extends { offset: string }>(records: T[], resolved: string | undefined): T[] {
  const handled = countHandled(records, resolved);
  return handled === 0 ? records : records.slice(handled);
}

/** KafkaJS' Batch: the records with the offset arithmetic of kafkajs/src/consumer/batch.js. */
export function toConsumerBatch(cluster: string, batch: ConsumedBatch, messages: ConsumerMessage[]): ConsumerBatch {
  const highWatermark = batch.highWatermark ?? '-1';
  const lastOfPartition = BigInt(highWatermark) - 1n;
  const isEmpty = (): boolean => messages.length === 0;
  const firstOffset = (): string | null => messages[0]?.offset ?? null;
  const lastOffset = (): string => messages.at(-1)?.offset ?? lastOfPartition.toString();
  return {
    cluster,
    topic: batch.topic,
    partition: batch.partition,
    highWatermark,
    messages,
    isEmpty,
    firstOffset,
    lastOffset,
    offsetLag: () => (lastOfPartition - BigInt(lastOffset())).toString(),
    offsetLagLow: () => (isEmpty() ? '0' : (lastOfPartition - BigInt(firstOffset()!)).toString()),
  };
}

/** KafkaJS' payload of `consumer.start_batch_process` and `end_batch_process` (with `duration`), plus the cluster. */
export function batchEventPayload(cluster: string, batch: ConsumedBatch, duration: number | undefined): Record<string, unknown> {
  const view = toConsumerBatch(cluster, batch, batch.records);
  return {
    cluster,
    topic: batch.topic,
    partition: batch.partition,
    highWatermark: view.highWatermark,
    offsetLag: view.offsetLag(),
    offsetLagLow: view.offsetLagLow(),
    batchSize: batch.records.length,
    firstOffset: view.firstOffset(),
    lastOffset: view.lastOffset(),
    ...(duration === undefined ? {} : { duration }),
  };
}
