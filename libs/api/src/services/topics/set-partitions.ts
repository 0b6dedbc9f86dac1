// Records a raised partition count (the expand workflow calls it once Kafka has them); the count
// it already has is no change and leaves no audit entry.
import type { WriteContext } from '../../context';
import type { SetPartitionsRequest } from './topic-inputs';

export function setPartitions({ changes }: WriteContext, input: SetPartitionsRequest) {
  return changes.run(async (tx, audit) => {
    const current = await tx.topics.get(input.name);
    if (current.partitions === input.partitions) return current;
    const topic = await tx.topics.setPartitions(input.name, input.partitions);
    await audit({ target: `topic/${input.name}`, details: { from: current.partitions, to: input.partitions } });
    return topic;
  });
}
