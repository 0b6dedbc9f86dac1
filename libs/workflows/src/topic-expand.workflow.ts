// Expands a topic (see topic-expand.contracts.ts). A keyed expansion is a topic move with more
// partitions on the target, run as a child workflow: its active part ends when producers write to
// the new placement (the registry then records the new count), and its tail keeps the old
// placement readable for the topic's retention, as every move does. Signals reach the child.
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { childMoves } from './child-moves';
import type { KafkaActivities } from './contracts';
import { operationControl, progressQuery } from './operation-signals';
import type { ExpandActivities, ExpandProgress, TopicExpandInput, TopicExpandResult } from './topic-expand.contracts';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;
const kafka = proxyActivities<KafkaActivities>({ startToCloseTimeout: '2 minutes', retry });
const ops = proxyActivities<ExpandActivities>({ startToCloseTimeout: '1 minute', retry });

export async function topicExpand(input: TopicExpandInput): Promise<TopicExpandResult> {
  let progress: ExpandProgress = { kind: 'topic-expand', phase: 'active', step: input.keyed ? 'move' : 'add-partitions', state: 'running', children: [] };
  const update = (change: Partial<ExpandProgress>): void => {
    progress = { ...progress, ...change };
  };
  const moves = input.keyed ? childMoves() : undefined;
  const control = operationControl((signal) => moves?.forward(signal));
  setHandler(progressQuery, () => (progress.state === 'running' && control.paused ? { ...progress, state: 'paused' } : progress));

  if (!input.keyed) {
    // Adding partitions in place removes nothing; it is one step, so pause and abort apply before it.
    await condition(() => !control.paused || control.abortRequested);
    if (control.abortRequested) {
      update({ state: 'aborted', phase: 'done', step: 'done' });
      return { topic: input.topic, partitions: input.fromPartitions, clusters: input.clusters.map((c) => c.name), aborted: true };
    }
    for (const cluster of input.clusters) {
      await kafka.ensurePartitions({ cluster, topic: input.topic, partitions: input.partitions });
    }
    await ops.setTopicPartitions({ topic: input.topic, partitions: input.partitions });
    update({ state: 'completed', phase: 'done', step: 'done' });
    return { topic: input.topic, partitions: input.partitions, clusters: input.clusters.map((c) => c.name), aborted: false };
  }

  const children = moves as NonNullable<typeof moves>;
  const listChildren = (): void => update({ children: children.outcomes().map((c) => c.workflowId) });
  await children.runActiveParts([input.move], 1, control, listChildren);
  const [outcome] = children.outcomes();
  if (outcome?.active === 'switched') {
    await ops.setTopicPartitions({ topic: input.topic, partitions: input.partitions });
    update({ phase: 'tail', step: 'retain-source' });
  } else update({ state: 'aborting', phase: 'tail' });
  await children.finish();
  const [final] = children.outcomes();
  if (final?.error) throw new Error(`expand of ${input.topic}: ${final.error}`);
  const aborted = final?.result?.aborted !== false;
  update({ state: aborted ? 'aborted' : 'completed', phase: 'done', step: 'done' });
  if (aborted) return { topic: input.topic, partitions: input.fromPartitions, clusters: [input.move.from.name], aborted: true };
  return { topic: input.topic, partitions: input.partitions, clusters: [input.move.to.name], aborted: false };
}
