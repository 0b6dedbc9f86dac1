// operations: start a topic move or expansion, a cluster drain, failover or failback; watch their
// progress; pause, resume, abort or release them; list what ran. Each start is planned by its kind
// and started by the one start path (services/operations/start-operation.ts).
import { z } from 'zod';
import { drainInput, expandInput, failbackInput, failoverInput, moveInput, operationSignalInput } from '../services/operations/operation-inputs';
import { operationStatus } from '../services/operations/operation-status';
import { planClusterDrain } from '../services/operations/plan-cluster-drain';
import { planClusterFailback } from '../services/operations/plan-cluster-failback';
import { planClusterFailover } from '../services/operations/plan-cluster-failover';
import { planTopicExpand } from '../services/operations/plan-topic-expand';
import { planTopicMove } from '../services/operations/plan-topic-move';
import { signalOperation } from '../services/operations/signal-operation';
import { startOperation } from '../services/operations/start-operation';
import { operatorProcedure, router, validated, viewerProcedure } from '../trpc';

export const operationsRouter = router({
  drainCluster: operatorProcedure.input(validated(drainInput, 'cluster drain')).mutation(({ ctx, input }) => startOperation(ctx, planClusterDrain, input)),
  failoverCluster: operatorProcedure.input(validated(failoverInput, 'cluster failover')).mutation(({ ctx, input }) => startOperation(ctx, planClusterFailover, input)),
  failbackCluster: operatorProcedure.input(validated(failbackInput, 'cluster failback')).mutation(({ ctx, input }) => startOperation(ctx, planClusterFailback, input)),
  expandTopic: operatorProcedure.input(validated(expandInput, 'topic expansion')).mutation(({ ctx, input }) => startOperation(ctx, planTopicExpand, input)),
  moveTopic: operatorProcedure.input(validated(moveInput, 'topic move')).mutation(({ ctx, input }) => startOperation(ctx, planTopicMove, input)),

  status: viewerProcedure.input(validated(z.object({ workflowId: z.string() }), 'operation')).query(({ ctx, input }) => operationStatus(ctx, input.workflowId)),

  signal: operatorProcedure.input(validated(operationSignalInput, 'signal')).mutation(({ ctx, input }) => signalOperation(ctx, input)),

  list: viewerProcedure
    .input(validated(z.object({ subject: z.string().optional() }).default({}), 'operation filter'))
    .query(({ ctx, input }) => ctx.registry.operations.list(input.subject === undefined ? {} : { subject: input.subject })),
});
