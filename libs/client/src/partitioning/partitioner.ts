// What the producer asks of a partitioner. Kept apart from the sticky implementation so a
// producer (and its tests) can be given another strategy without depending on one.

export interface Partitioner {
  /**
   * The partition for the next record of `topic`, in [0, partitionCount). Keyed records (`key`
   * not null, even when empty, as in Java) always map by murmur2; `null` keys are the
   * partitioner's choice.
   */
  partition(topic: string, key: Buffer | null, partitionCount: number): number;
  /**
   * The batch being filled for `topic` is complete (sent by linger or full): later non-keyed
   * records of `topic` may start a new batch on another partition. `partition`, when given, is
   * the partition of that batch; a completion for a partition no longer in use is ignored.
   */
  onBatchSent(topic: string, partition?: number): void;
}
