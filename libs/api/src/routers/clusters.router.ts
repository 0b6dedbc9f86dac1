// clusters: register (after checking the cluster answers and counting its brokers), list,
// describe with live broker and topic figures, and state changes. The work is in services/clusters.
import { z } from 'zod';
import { addCluster } from '../services/clusters/add-cluster';
import { addClusterInput, setClusterStateInput } from '../services/clusters/cluster-inputs';
import { describeCluster } from '../services/clusters/describe-cluster';
import { setClusterState } from '../services/clusters/set-cluster-state';
import { adminProcedure, operatorProcedure, router, validated, viewerProcedure } from '../trpc';

export const clustersRouter = router({
  add: adminProcedure.input(validated(addClusterInput, 'cluster')).mutation(({ ctx, input }) => addCluster(ctx, input)),
  list: viewerProcedure.query(({ ctx }) => ctx.registry.clusters.list()),
  describe: viewerProcedure.input(validated(z.object({ name: z.string() }), 'cluster')).query(({ ctx, input }) => describeCluster(ctx, input.name)),
  setState: operatorProcedure.input(validated(setClusterStateInput, 'cluster state')).mutation(({ ctx, input }) => setClusterState(ctx, input)),
});
