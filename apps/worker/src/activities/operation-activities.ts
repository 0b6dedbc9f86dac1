// Activities of multi-step operations. Registry changes go through the management API (it owns
// the truth and publishes every change as a mapping version); Kafka work goes straight to the
// clusters. Each is idempotent: placing, sealing, fencing and deleting again change nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppRouter } from '@flotilla/api';
import { FlotillaError, type ErrorCode } from '@flotilla/errors';
import type { connectAdmin, KafkaAdmin } from '@flotilla/kafka';
import type { ClusterRef, ExpandActivities, OperationActivities } from '@flotilla/workflows';
import type { TRPCClient } from '@trpc/client';
import { toActivityFailure } from './to-activity-failure';

export interface OperationActivityDeps {
  connectAdmin: typeof connectAdmin;
  management: TRPCClient<AppRouter>;
  /** A client that has not sent a heartbeat for this long no longer counts as a producer. */
  activeClientMs?: number;
}

export function createOperationActivities(deps: OperationActivityDeps): OperationActivities & ExpandActivities {
  const activeWithinMs = deps.activeClientMs ?? 15_000;
  const onCluster = async <T>(cluster: ClusterRef, work: (admin: KafkaAdmin) => Promise<T>): Promise<T> => {
    const admin = await deps.connectAdmin({ bootstrap: cluster.bootstrap }).catch(toActivityFailure);
    try {
      return await work(admin).catch(toActivityFailure);
    } finally {
      await admin.close().catch(() => {});
    }
  };
  const management = <T>(call: Promise<T>): Promise<T> => call.catch(toManagementFailure);

  return {
    async publishPlacement(change) {
      const { version } = await management(
        deps.management.topics.place.mutate({
          name: change.topic,
          ...(change.producers ? { producers: [...change.producers] } : {}),
          ...(change.consumers ? { consumers: [...change.consumers] } : {}),
          ...(change.handoff ? { handoff: change.handoff.action === 'seal' ? { action: 'seal', sealed: { ...change.handoff.sealed } } : change.handoff } : {}),
          reason: change.reason,
        }),
      );
      return version;
    },

    async producerStatus({ topic, version }) {
      const sessions = await management(deps.management.clients.list.query({ topic, activeWithinMs }));
      const producers = sessions.filter((session) => session.produces.includes(topic));
      const stragglers = producers.filter((session) => (session.mappingVersion ?? 0) < version).map((session) => session.clientId);
      return { total: producers.length, switched: producers.length - stragglers.length, stragglers };
    },

    async drainStatus({ cluster, topic }) {
      const sessions = await management(deps.management.clients.list.query({ topic, activeWithinMs }));
      const groups = sessions.filter((s) => s.consumes.includes(topic) && s.groupId).map((s) => s.groupId as string);
      const progress = await onCluster(cluster, (admin) => admin.groupProgress(topic, groups));
      return {
        lag: Object.fromEntries(Object.entries(progress).map(([group, p]) => [group, p.lag])),
        // A group whose clients heartbeat is alive even while Kafka shows it between members.
        groups: Object.fromEntries(Object.entries(progress).map(([group, p]) => [group, { members: Math.max(p.members, sessions.filter((s) => s.groupId === group).length), committed: p.committed }])),
      };
    },

    async endOffsets({ cluster, topic }) {
      const offsets = await onCluster(cluster, (admin) => admin.endOffsets(topic));
      return Object.fromEntries([...offsets].map(([partition, offset]) => [String(partition), Number(offset)]));
    },

    fenceWrites: ({ cluster, topic }) => onCluster(cluster, (admin) => admin.fenceWrites(topic)),
    unfenceWrites: ({ cluster, topic }) => onCluster(cluster, (admin) => admin.unfenceWrites(topic)),

    async setTopicPartitions({ topic, partitions }) {
      await management(deps.management.topics.setPartitions.mutate({ name: topic, partitions }));
    },

    async deleteTopic({ cluster, topic }) {
      await onCluster(cluster, async (admin) => {
        if ((await admin.partitionCount(topic)) !== undefined) await admin.deleteTopic(topic);
      });
    },

    async deleteTopicAndWait({ cluster, topic }) {
      await onCluster(cluster, async (admin) => {
        if ((await admin.partitionCount(topic)) !== undefined) await admin.deleteTopic(topic);
        // Creating it again while Kafka still deletes it would find the old one.
        for (let tries = 0; (await admin.listTopics()).includes(topic); tries += 1) {
          if (tries >= 100) throw new FlotillaError('UNAVAILABLE', `topic "${topic}" is still listed on ${cluster.name} 20 s after its deletion`, { retryable: true });
          await sleep(200);
        }
      });
    },
  };
}

/** Management refusing a request (4xx) will refuse it again; an unreachable one may come back. */
export function toManagementFailure(error: unknown): never {
  const data = (error as { data?: { httpStatus?: number; flotilla?: { code?: ErrorCode; retryable?: boolean } } } | undefined)?.data;
  const status = data?.httpStatus;
  const refused = status !== undefined && status < 500;
  const message = `management: ${error instanceof Error ? error.message : String(error)}`;
  const code: ErrorCode = data?.flotilla?.code ?? (refused ? 'VALIDATION' : 'UNAVAILABLE');
  return toActivityFailure(new FlotillaError(code, message, { retryable: data?.flotilla?.retryable ?? !refused, cause: error }));
}
