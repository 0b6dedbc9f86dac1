// Cluster failover and failback (ARCHITECTURE.md §4): switch traffic, do not repair. Failover
// sends the producers of every topic on the failed cluster to a standby, consumers read both;
// once the cluster answers again, consumers drain what it acknowledged before failing and it
// leaves the consumer side. The cluster stays `failed` until failback moves its topics back
// (topic moves, a few at a time) and sets it `active`.
import { ApplicationFailure, ParentClosePolicy, defineQuery, executeChild, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type {
  ClusterActivities,
  ClusterFailbackInput,
  ClusterFailbackResult,
  ClusterFailoverInput,
  ClusterFailoverResult,
  FailbackProgress,
  FailoverProgress,
  FailoverTopic,
} from './cluster-failover.contracts';
import { workflowIds, type KafkaActivities } from './contracts';
import type { OperationActivities, PlacementChange, TopicMoveInput, TopicMoveResult } from './topic-move.contracts';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;
const kafka = proxyActivities<KafkaActivities>({ startToCloseTimeout: '2 minutes', retry });
const ops = proxyActivities<OperationActivities>({ startToCloseTimeout: '1 minute', retry });
// A dead cluster makes the probe wait for its connection timeout, never longer than this.
const probe = proxyActivities<ClusterActivities>({ startToCloseTimeout: '1 minute', retry });

export const failoverProgressQuery = defineQuery<FailoverProgress>('progress');
export const failbackProgressQuery = defineQuery<FailbackProgress>('progress');

export async function clusterFailover(input: ClusterFailoverInput): Promise<ClusterFailoverResult> {
  const { cluster } = input;
  let progress: FailoverProgress = {
    kind: 'cluster-failover',
    step: 'switch-traffic',
    cluster: cluster.name,
    topics: { total: input.topics.length, switched: 0, drained: 0 },
    returned: null,
    lag: {},
    fenced: [],
    failed: {},
    mappingVersion: null,
  };
  const update = (change: Partial<FailoverProgress>): void => {
    progress = { ...progress, ...change };
  };
  const count = (field: 'switched' | 'drained'): void => update({ topics: { ...progress.topics, [field]: progress.topics[field] + 1 } });
  setHandler(failoverProgressQuery, () => progress);

  const publish = async (change: PlacementChange): Promise<number> => {
    const version = await ops.publishPlacement(change);
    update({ mappingVersion: Math.max(progress.mappingVersion ?? 0, version) });
    return version;
  };
  // One topic that cannot be handled (deleted meanwhile, refused by management) must not keep
  // the others on a dead cluster: it is reported and skipped from then on.
  const attempt = async (t: FailoverTopic, work: () => Promise<void>): Promise<void> => {
    if (progress.failed[t.topic] !== undefined) return;
    try {
      await work();
    } catch (error) {
      update({ failed: { ...progress.failed, [t.topic]: failureMessage(error) } });
    }
  };

  // Producers first, as fast as the pool allows: every second here is produce unavailability.
  const switchVersions = new Map<string, number>();
  await forEachBounded(input.topics, input.parallelism, (t) =>
    attempt(t, async () => {
      await kafka.ensureTopic({ cluster: t.standby, topic: t.topic, partitions: t.partitions, replicationFactor: t.replicationFactor, configs: { ...t.configs } });
      // One version for both sides: consumers must read the standby from the moment producers
      // write there, and the failed cluster until it gave up what it acknowledged.
      const version = await publish({
        topic: t.topic,
        producers: [t.standby.name],
        consumers: [...t.consumersDuring],
        reason: `failover of ${cluster.name}: ${t.topic} writes to ${t.standby.name}, consumers read [${t.consumersDuring.join(', ')}]`,
      });
      switchVersions.set(t.topic, version);
      count('switched');
    }),
  );
  const switchedAt = Date.now();
  if (input.topics.length === 0) {
    update({ step: 'done' });
    return result(false);
  }

  update({ step: 'wait-return' });
  const returned = await waitForReturn();
  update({ returned });

  update({ step: 'drain' });
  await forEachBounded(input.topics, input.parallelism, (t) =>
    attempt(t, async () => {
      // A cluster that never came back within retention holds nothing readable any more.
      if (returned) await drain(t);
      await publish({
        topic: t.topic,
        consumers: [...t.consumersAfter],
        reason: returned ? `failover of ${cluster.name}: ${t.topic} drained there` : `failover of ${cluster.name}: it did not return, ${t.topic} leaves it`,
      });
      if (returned && input.deleteDrained) {
        await ops.deleteTopic({ cluster, topic: t.topic });
        // ACLs are by name: a fence left behind would block the topic when failback recreates it.
        if (progress.fenced.includes(t.topic)) await ops.unfenceWrites({ cluster, topic: t.topic });
      }
      count('drained');
    }),
  );
  update({ step: 'done' });
  return result(returned);

  /** Polls the cluster, backing off to maxPollMs, until it answers or returnTimeoutMs passed. */
  async function waitForReturn(): Promise<boolean> {
    const deadline = Date.now() + input.returnTimeoutMs;
    for (let interval = input.pollMs; ; interval = Math.min(interval * 2, input.maxPollMs)) {
      if (await probe.clusterAnswers({ cluster, brokerCount: input.brokerCount })) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await sleep(Math.min(interval, left));
    }
  }

  async function drain(t: FailoverTopic): Promise<void> {
    // A producer that never took the switch would write to the returned cluster behind the
    // drain: once the switch timeout has passed, it is fenced there, as a topic move does.
    const version = switchVersions.get(t.topic) ?? 0;
    for (;;) {
      const status = await ops.producerStatus({ topic: t.topic, version });
      if (status.switched >= status.total) break;
      if (Date.now() >= switchedAt + input.producerSwitchTimeoutMs) {
        await ops.fenceWrites({ cluster, topic: t.topic });
        update({ fenced: [...progress.fenced, t.topic] });
        break;
      }
      await sleep(input.pollMs);
    }
    const deadline = Date.now() + t.drainTimeoutMs;
    for (;;) {
      const { lag } = await ops.drainStatus({ cluster, topic: t.topic });
      const left = Object.values(lag).reduce((sum, records) => sum + records, 0);
      update({ lag: { ...progress.lag, [t.topic]: left } });
      if (left === 0 || Date.now() >= deadline) return;
      await sleep(input.pollMs);
    }
  }

  function result(cameBack: boolean): ClusterFailoverResult {
    const standbys = Object.fromEntries(input.topics.filter((t) => progress.failed[t.topic] === undefined).map((t) => [t.topic, t.standby.name]));
    return { cluster: cluster.name, standbys, returned: cameBack, failed: progress.failed, mappingVersion: progress.mappingVersion };
  }
}

/**
 * Moves every topic of `input.moves` (child topic moves, `parallelism` at a time), then sets the
 * cluster to `finalState`. Failback ends `active` (topics came home); drain ends `retired` (the
 * cluster is empty and can be scaled down without any partition reassignment).
 */
async function moveTopicsThenSetState(input: ClusterFailbackInput, kind: FailbackProgress['kind'], finalState: 'active' | 'retired'): Promise<ClusterFailbackResult> {
  let progress: FailbackProgress = {
    kind,
    step: 'move-back',
    cluster: input.cluster.name,
    topics: { total: input.moves.length, moved: 0 },
    running: [],
    failed: {},
  };
  const update = (change: Partial<FailbackProgress>): void => {
    progress = { ...progress, ...change };
  };
  setHandler(failbackProgressQuery, () => progress);

  const moved: string[] = [];
  await forEachBounded(input.moves, input.parallelism, async (move) => {
    update({ running: [...progress.running, move.topic] });
    try {
      const outcome = await executeChild<(m: TopicMoveInput) => Promise<TopicMoveResult>>('topicMove', {
        args: [move],
        // The move's own id: its progress, pause and abort work as for any move.
        workflowId: workflowIds.childTopicMove(workflowInfo().workflowId, move.topic),
        // A move stopped half-way is worse than one finishing on its own.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      if (outcome.aborted) update({ failed: { ...progress.failed, [move.topic]: 'the move was aborted' } });
      else {
        moved.push(move.topic);
        update({ topics: { ...progress.topics, moved: progress.topics.moved + 1 } });
      }
    } catch (error) {
      update({ failed: { ...progress.failed, [move.topic]: failureMessage(error) } });
    } finally {
      update({ running: progress.running.filter((topic) => topic !== move.topic) });
    }
  });

  const failed = Object.entries(progress.failed);
  if (failed.length > 0) {
    // The cluster keeps its state: running the operation again moves what is still left.
    const what = kind === 'cluster-failback' ? 'failback' : 'drain';
    throw ApplicationFailure.nonRetryable(
      `${what} of ${input.cluster.name}: ${failed.length} topic(s) did not move${kind === 'cluster-failback' ? ' back' : ''} (${failed.map(([topic, why]) => `${topic}: ${why}`).join('; ')}); the cluster stays ${kind === 'cluster-failback' ? 'failed' : 'draining'}`,
      kind === 'cluster-failback' ? 'FAILBACK_INCOMPLETE' : 'DRAIN_INCOMPLETE',
    );
  }
  update({ step: 'activate' });
  await probe.setClusterState({ cluster: input.cluster.name, state: finalState });
  update({ step: 'done' });
  return { cluster: input.cluster.name, moved };
}

export function clusterFailback(input: ClusterFailbackInput): Promise<ClusterFailbackResult> {
  return moveTopicsThenSetState(input, 'cluster-failback', 'active');
}

/** Moves every topic off a cluster, a few at a time, then retires it (ARCHITECTURE.md: scale down = drain a cluster). */
export function clusterDrain(input: ClusterFailbackInput): Promise<ClusterFailbackResult> {
  return moveTopicsThenSetState(input, 'cluster-drain', 'retired');
}

/** Runs `work` over `items`, at most `limit` at a time (plain promises: deterministic in a workflow). */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

/** The innermost message: an activity or child failure wraps the error that says what went wrong. */
function failureMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
