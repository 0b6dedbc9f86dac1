// Activities of cluster failover and failback: probing whether a failed cluster answers again,
// and changing its registry state through management (which publishes the change as a mapping
// version). Both are idempotent: probing changes nothing, a state it already has is left alone.
import type { AppRouter } from '@flotilla/api';
import type { connectAdmin } from '@flotilla/kafka';
import type { ClusterActivities } from '@flotilla/workflows';
import type { TRPCClient } from '@trpc/client';
import { toManagementFailure } from './operation-activities';

export interface ClusterActivityDeps {
  connectAdmin: typeof connectAdmin;
  management: TRPCClient<AppRouter>;
  /** How long the probe waits for a broker to accept a connection. */
  probeTimeoutMs?: number;
}

export function createClusterActivities(deps: ClusterActivityDeps): ClusterActivities {
  const timeoutMs = deps.probeTimeoutMs ?? 3_000;
  return {
    async clusterAnswers({ cluster, brokerCount }) {
      // Any failure is an answer here ("not yet"), so the workflow polls instead of Temporal
      // retrying: a dead cluster is the expected state, not an error.
      const admin = await deps.connectAdmin({ bootstrap: cluster.bootstrap, connectionTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs, retries: 0 }).catch(() => undefined);
      if (!admin) return false;
      try {
        const described = await admin.describeCluster();
        return described.brokers.length >= brokerCount;
      } catch {
        return false;
      } finally {
        await admin.close().catch(() => {});
      }
    },

    async setClusterState({ cluster, state }) {
      const clusters = await deps.management.clusters.list.query().catch(toManagementFailure);
      if (clusters.find((c) => c.name === cluster)?.state === state) return;
      await deps.management.clusters.setState.mutate({ name: cluster, state }).catch(toManagementFailure);
    },
  };
}
