// A move of one topic to another cluster, checked before anything changes: produced on exactly
// one cluster and read there only, nothing else running on it, a target of the same role that is
// active and holds no older copy of the topic (unless the operator asked to replace it).
import type { Cluster, Topic } from '@flotilla/db';
import { ConflictError, UnavailableError, ValidationError } from '@flotilla/errors';
import type { TopicMoveInput } from '@flotilla/workflows';
import { withCluster } from '../../connect-cluster';
import type { ReadContext } from '../../context';
import type { MoveTopicRequest } from './operation-inputs';
import { requireOperations } from './operations-gateway';
import { runningOperations, type RunningOperation } from './running-operations';
import type { OperationPlan } from './start-operation';
import { topicMoveSpec } from './topic-move-spec';

export interface CheckedMove {
  readonly topic: Topic;
  readonly from: Cluster;
  readonly to: Cluster;
  readonly spec: TopicMoveInput;
}

/** Checks a move of `request.topic` to `request.to` and builds its workflow input; `partitions` when it expands too. */
export async function checkTopicMove(ctx: ReadContext, request: MoveTopicRequest, partitions?: number): Promise<CheckedMove> {
  const operations = requireOperations(ctx.services);
  const { registry } = ctx;
  const topic = await registry.topics.get(request.topic);
  const placement = await registry.placements.of(topic.name);
  const [fromName] = placement.producers;
  if (fromName === undefined || placement.producers.length !== 1) {
    throw new ValidationError(`cannot move topic "${topic.name}": producers: expected exactly one cluster, got [${placement.producers.join(', ')}]`, { field: 'producers' });
  }
  if (fromName === request.to) throw new ValidationError(`cannot move topic "${topic.name}": to: it already lives on "${request.to}"`, { field: 'to' });
  const running = await runningOperations(registry, operations, topic.name);
  if (running.length > 0) throw new ConflictError('topic', topic.name, `already has a running operation (${running.map(describeRunning).join('; ')})`);
  if (placement.consumers.length !== 1 || placement.consumers[0] !== fromName) {
    throw new ConflictError('topic', topic.name, `is in the middle of a change (consumers read [${placement.consumers.join(', ')}])`);
  }
  const [from, to] = await Promise.all([registry.clusters.get(fromName), registry.clusters.get(request.to)]);
  if (to.state !== 'active') throw new ValidationError(`cannot move topic "${topic.name}" to "${to.name}": to: the cluster is ${to.state}`, { field: 'to' });
  if (to.role !== from.role) {
    throw new ValidationError(`cannot move topic "${topic.name}" to "${to.name}": to: a ${to.role} cluster cannot take a topic from a ${from.role} cluster`, { field: 'to' });
  }
  // An older copy on the target (kept by --keep-source, or a cluster that came back after its
  // failover gave it up) would put old records back in front of consumers.
  const stale = await withCluster(ctx.services, to.bootstrap, (admin) => admin.describeTopic(topic.name)).catch((error: unknown) => {
    throw new UnavailableError(`cannot move topic "${topic.name}" to "${to.name}": the cluster does not answer at ${to.bootstrap.join(',')}`, { cause: error });
  });
  if (stale && !request.replaceStaleTarget) {
    throw new ConflictError(
      'topic',
      topic.name,
      `cannot move to "${to.name}": it still holds an older copy of the topic (${stale.records} records) that no consumer reads; delete it there first, or move with --replace-stale-target to start from a clean topic`,
    );
  }
  const spec = topicMoveSpec({
    topic,
    from,
    to,
    ...(partitions === undefined ? {} : { partitions }),
    options: request,
    deleteSource: request.deleteSource,
    replaceStaleTarget: stale !== undefined,
  });
  return { topic, from, to, spec };
}

/** A running operation as a refusal names it; a move in its tail says until when, and how to end it early. */
function describeRunning({ operation, status }: RunningOperation): string {
  const tail = status.progress?.phase === 'tail' ? status.progress.tail : undefined;
  if (!tail) return operation.workflowId;
  return `${operation.workflowId}, keeping its source readable until ${new Date(tail.readableUntil).toISOString()}; \`flotilla operations release ${operation.workflowId}\` ends that early once every live group read it`;
}

export async function planTopicMove(ctx: ReadContext, request: MoveTopicRequest): Promise<OperationPlan<'topic-move', { from: string; to: string }>> {
  const { topic, from, to, spec } = await checkTopicMove(ctx, request);
  return {
    kind: 'topic-move',
    subject: topic.name,
    input: spec,
    audit: { action: 'operations.topicMove', target: `topic/${topic.name}`, details: { from: from.name, to: to.name } },
    answer: { from: from.name, to: to.name },
  };
}
