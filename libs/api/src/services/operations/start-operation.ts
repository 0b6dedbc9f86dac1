// The one start path of every operation: number it, then in one transaction record its row, the
// writes it commits with, its audit entry, and start its workflow, last, so that a Temporal that
// refuses leaves no row claiming an operation that never ran.
import type { Registry } from '@flotilla/db';
import { workflowIds, type ClusterFailbackInput, type ClusterFailoverInput, type TopicExpandInput, type TopicMoveInput } from '@flotilla/workflows';
import type { Audit } from '../../audit/audited-changes';
import type { ReadContext, WriteContext } from '../../context';
import { nextAttempt } from './next-attempt';
import { requireOperations, type OperationsGateway } from './operations-gateway';

/** Each kind of operation with the input its workflow takes. */
export interface OperationInputs {
  'topic-move': TopicMoveInput;
  'topic-expand': TopicExpandInput;
  'cluster-drain': ClusterFailbackInput;
  'cluster-failover': ClusterFailoverInput;
  'cluster-failback': ClusterFailbackInput;
}
export type OperationKind = keyof OperationInputs;

interface KindStart<K extends OperationKind> {
  /** The workflow id of the `attempt`th operation of this kind on `subject`. */
  readonly workflowId: (subject: string, attempt: number) => string;
  readonly start: (gateway: OperationsGateway, workflowId: string, input: OperationInputs[K]) => Promise<void>;
}

const kinds: { readonly [K in OperationKind]: KindStart<K> } = {
  'topic-move': { workflowId: workflowIds.topicMove, start: (gateway, id, input) => gateway.startTopicMove(id, input) },
  'topic-expand': { workflowId: workflowIds.topicExpand, start: (gateway, id, input) => gateway.startTopicExpand(id, input) },
  'cluster-drain': { workflowId: workflowIds.clusterDrain, start: (gateway, id, input) => gateway.startClusterDrain(id, input) },
  'cluster-failover': { workflowId: workflowIds.clusterFailover, start: (gateway, id, input) => gateway.startClusterFailover(id, input) },
  'cluster-failback': { workflowId: workflowIds.clusterFailback, start: (gateway, id, input) => gateway.startClusterFailback(id, input) },
};

/** The start's transaction, as an operation's own writes see it. */
export interface OperationCommit {
  readonly tx: Registry;
  readonly audit: Audit;
  readonly actor: string;
  readonly workflowId: string;
}

/** A checked operation, ready to start: what a plan function answers. */
export interface OperationPlan<K extends OperationKind, Answer extends object> {
  readonly kind: K;
  /** The topic or cluster it is about: one running operation per subject. */
  readonly subject: string;
  readonly input: OperationInputs[K];
  /** The start's audit entry (`operations.topicMove`, `topic/orders`); the workflow id joins its details. */
  readonly audit: { readonly action: string; readonly target: string; readonly details: Record<string, unknown> };
  /**
   * Writes that commit with the operation row, such as a cluster taken out of its pools; they
   * publish a mapping version, so the feed is refreshed once they committed.
   */
  readonly commit?: (change: OperationCommit) => Promise<void>;
  /** What the caller is told besides the workflow id. */
  readonly answer: Answer;
}

/** Plans one kind of operation from the operator's request: every check, nothing written. */
export type PlanOperation<Request, K extends OperationKind, Answer extends object> = (ctx: ReadContext, request: Request) => Promise<OperationPlan<K, Answer>>;

/** Plans the operation with `plan` and starts it; answers its workflow id and what the plan tells. */
export async function startOperation<Request, K extends OperationKind, Answer extends object>(
  ctx: WriteContext,
  planOperation: PlanOperation<Request, K, Answer>,
  request: Request,
): Promise<{ workflowId: string } & Answer> {
  const plan = await planOperation(ctx, request);
  const operations = requireOperations(ctx.services);
  const kind = kinds[plan.kind];
  const workflowId = kind.workflowId(plan.subject, await nextAttempt(ctx.registry, plan.subject, plan.kind));
  await ctx.changes.run(async (tx, audit) => {
    await tx.operations.start({ workflowId, kind: plan.kind, subject: plan.subject, input: { ...plan.input }, startedBy: ctx.changes.actor });
    await plan.commit?.({ tx, audit, actor: ctx.changes.actor, workflowId });
    await audit({ action: plan.audit.action, target: plan.audit.target, details: { ...plan.audit.details, workflowId } });
    await kind.start(operations, workflowId, plan.input);
  });
  if (plan.commit) await ctx.services.mappingFeed.refresh();
  return { workflowId, ...plan.answer };
}
