// Cluster failover, failback and drain (ARCHITECTURE.md §4): switch traffic, do not repair.
// Failover sends the producers of every topic on the failed cluster to a standby and consumers
// read both (its active part). Its tail keeps the failed cluster on the consumer side until each
// topic's retention has passed since producers left it, so every record it acknowledged before
// failing can be read once it returns, by a group created then too; then it leaves the consumer
// side and its (expired) copy is deleted. Failback and drain are topic moves run as children;
// each move keeps its own source readable for retention.
import { ApplicationFailure, condition, log, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import { childMoves, failureMessage } from './child-moves';
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
import type { KafkaActivities } from './contracts';
import { groupTracker, type GroupVerdict } from './group-drain';
import { operationControl, progressQuery } from './operation-signals';
import type { DrainStatus, OperationActivities, PlacementChange, TopicMoveInput } from './topic-move.contracts';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;
const kafka = proxyActivities<KafkaActivities>({ startToCloseTimeout: '2 minutes', retry });
const ops = proxyActivities<OperationActivities>({ startToCloseTimeout: '1 minute', retry });
// A dead cluster makes the probe wait for its connection timeout, never longer than this.
const probe = proxyActivities<ClusterActivities>({ startToCloseTimeout: '1 minute', retry });

export async function clusterFailover(input: ClusterFailoverInput): Promise<ClusterFailoverResult> {
  const { cluster } = input;
  let progress: FailoverProgress = {
    kind: 'cluster-failover',
    phase: 'active',
    state: 'running',
    step: 'switch-traffic',
    cluster: cluster.name,
    topics: { total: input.topics.length, switched: 0, released: 0 },
    returned: null,
    readableUntil: {},
    lag: {},
    groups: {},
    blockedBy: {},
    children: [],
    abortPending: null,
    fenced: [],
    failed: {},
    mappingVersion: null,
  };
  const update = (change: Partial<FailoverProgress>): void => {
    progress = { ...progress, ...change };
  };
  const count = (field: 'switched' | 'released'): void => update({ topics: { ...progress.topics, [field]: progress.topics[field] + 1 } });
  const moves = childMoves();
  const control = operationControl((signal) => {
    if (signal !== 'abort') moves.forward(signal);
  });
  setHandler(progressQuery, () => (progress.state === 'running' && control.paused ? { ...progress, state: 'paused' } : progress));

  const publish = async (change: PlacementChange): Promise<number> => {
    const version = await ops.publishPlacement(change);
    update({ mappingVersion: Math.max(progress.mappingVersion ?? 0, version) });
    log.info(`mapping v${version}: ${change.reason}`);
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
  // Pause and abort wait for this part: a half-switched failover is the worst place to stop.
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
  const switched = input.topics.filter((t) => progress.failed[t.topic] === undefined);
  update({
    phase: 'tail',
    step: 'retain-failed',
    readableUntil: Object.fromEntries(switched.map((t) => [t.topic, switchedAt + t.retentionMs])),
  });

  // The tail: probe the cluster (backing off), fence stragglers once it answers, release each
  // topic when its retention since the switch has passed (or, asked explicitly, once drained).
  const released = new Set<string>();
  const stragglersChecked = new Set<string>();
  const checkedOnce = new Set<string>();
  /**
   * When producers left the cluster for good, per topic: the switch, unless the returned cluster
   * could have taken writes from a straggler after it (then when the straggler switched or was
   * fenced). Retention counts from here, so nothing written there is released before it expires.
   */
  const leftAt = new Map<string, number>();
  const deadline = (t: FailoverTopic): number => (leftAt.get(t.topic) ?? switchedAt) + t.retentionMs;
  const judges = new Map(switched.map((t) => [t.topic, groupTracker(input.staleGroupMs, `${cluster.name}`)]));
  let returned = false;
  let probeInterval = input.pollMs;
  let nextProbeAt = Date.now();
  while (released.size < switched.length && !control.abortRequested) {
    if (!returned && Date.now() >= nextProbeAt) {
      returned = await probe.clusterAnswers({ cluster, brokerCount: input.brokerCount });
      update({ returned });
      if (returned) log.info(`failover of ${cluster.name}: it answers again; it stays on the consumer side until each topic's retention has passed`);
      probeInterval = Math.min(probeInterval * 2, input.maxPollMs);
      nextProbeAt = Date.now() + probeInterval;
    }
    const releasing = input.releaseWhenDrained || control.releaseRequested;
    await forEachBounded(
      switched.filter((t) => !released.has(t.topic)),
      input.parallelism,
      (t) =>
        attempt(t, async () => {
          if (returned && !stragglersChecked.has(t.topic)) await fenceStraggler(t);
          const due = Date.now() >= deadline(t);
          const drained = !due && releasing && returned ? await drainedOnFailed(t) : false;
          if (!due && !drained) return;
          // Pause holds a release; it never holds producers (they already switched).
          await condition(() => !control.paused || control.abortRequested);
          if (control.abortRequested) return;
          await release(t, drained);
        }),
    );
    for (const t of switched) if (progress.failed[t.topic] !== undefined) released.add(t.topic);
    if (released.size >= switched.length) break;
    const left = switched.filter((t) => !released.has(t.topic));
    const nextDue = Math.min(...left.map(deadline));
    // Until every topic's producers are known to have left the returned cluster, check each poll.
    const checking = returned && left.some((t) => !stragglersChecked.has(t.topic));
    const wake = Math.min(nextDue, returned ? Number.POSITIVE_INFINITY : nextProbeAt, releasing || checking ? Date.now() + input.pollMs : Number.POSITIVE_INFINITY);
    // A durable timer: a restarted worker picks the wait up where it was.
    await condition(() => control.abortRequested || (control.releaseRequested && !releasing), Math.max(1, wake - Date.now()));
  }

  if (control.abortRequested) return abortToCluster();
  update({ step: 'done', phase: 'done', state: 'completed' });
  return result(returned, false);

  async function fenceStraggler(t: FailoverTopic): Promise<void> {
    // A producer that never took the switch would write to the returned cluster behind the
    // failover: once the switch timeout has passed, it is fenced there, as a topic move does.
    const firstCheck = !checkedOnce.has(t.topic);
    checkedOnce.add(t.topic);
    const status = await ops.producerStatus({ topic: t.topic, version: switchVersions.get(t.topic) ?? 0 });
    if (status.switched >= status.total) {
      // Switched already when the cluster came back: nobody wrote there after the switch.
      if (!firstCheck) producersLeft(t);
      stragglersChecked.add(t.topic);
      return;
    }
    if (Date.now() < switchedAt + input.producerSwitchTimeoutMs) return;
    await ops.fenceWrites({ cluster, topic: t.topic });
    log.info(`failover of ${cluster.name}: fenced writes to ${t.topic} there (producers never took the switch: ${status.stragglers.join(', ')})`);
    update({ fenced: [...progress.fenced, t.topic] });
    producersLeft(t);
    stragglersChecked.add(t.topic);
  }

  function producersLeft(t: FailoverTopic): void {
    leftAt.set(t.topic, Date.now());
    update({ readableUntil: { ...progress.readableUntil, [t.topic]: deadline(t) } });
  }

  async function drainedOnFailed(t: FailoverTopic): Promise<boolean> {
    const status: DrainStatus = await ops.drainStatus({ cluster, topic: t.topic });
    const verdict: GroupVerdict = (judges.get(t.topic) ?? groupTracker(input.staleGroupMs, cluster.name))(status, Date.now());
    const lag = verdict.groups.filter((g) => !g.stale).reduce((sum, g) => sum + g.lag, 0);
    const blockedBy = { ...progress.blockedBy };
    if (verdict.blockedBy) blockedBy[t.topic] = verdict.blockedBy;
    else delete blockedBy[t.topic];
    update({ lag: { ...progress.lag, [t.topic]: lag }, groups: { ...progress.groups, [t.topic]: verdict.groups }, blockedBy });
    return verdict.drained;
  }

  async function release(t: FailoverTopic, early: boolean): Promise<void> {
    await publish({
      topic: t.topic,
      consumers: [...t.consumersAfter],
      reason: early
        ? `failover of ${cluster.name}: ${t.topic} released early, every live group read it there`
        : `failover of ${cluster.name}: ${t.topic} held there for its retention since producers left`,
    });
    if (returned && input.deleteReleased) {
      await ops.deleteTopic({ cluster, topic: t.topic });
      // ACLs are by name: a fence left behind would block the topic when failback recreates it.
      if (progress.fenced.includes(t.topic)) await ops.unfenceWrites({ cluster, topic: t.topic });
    }
    released.add(t.topic);
    count('released');
  }

  /** Abort: traffic goes back to the cluster once it answers, by topic moves from the standbys. */
  async function abortToCluster(): Promise<ClusterFailoverResult> {
    update({ state: 'aborting', phase: 'active', step: 'move-back' });
    log.info(`failover of ${cluster.name} aborted: traffic goes back once it answers`);
    for (let interval = input.pollMs; !returned; interval = Math.min(interval * 2, input.maxPollMs)) {
      returned = await probe.clusterAnswers({ cluster, brokerCount: input.brokerCount });
      update({ returned, abortPending: returned ? null : `waiting for ${cluster.name} to answer before traffic goes back to it` });
      if (!returned) await sleep(interval);
    }
    for (const t of progress.fenced) await ops.unfenceWrites({ cluster, topic: t });
    const back: TopicMoveInput[] = switched.map((t) => ({
      topic: t.topic,
      from: t.standby,
      to: cluster,
      keyed: t.keyed,
      partitions: t.homePartitions,
      replicationFactor: t.homeReplicationFactor,
      configs: { ...t.configs },
      producerSwitchTimeoutMs: input.producerSwitchTimeoutMs,
      retentionMs: t.retentionMs,
      releaseWhenDrained: input.releaseWhenDrained,
      staleGroupMs: input.staleGroupMs,
      pollMs: input.pollMs,
      deleteSource: true,
      // Still on the consumer side, the cluster's copy is readable and stays; a released one
      // that was not deleted (the cluster returned after its retention) is stale and goes.
      replaceStaleTarget: released.has(t.topic) && !input.deleteReleased,
    }));
    const listChildren = (): void => update({ children: moves.outcomes().map((c) => c.workflowId) });
    await moves.runActiveParts(back, input.parallelism, { paused: false, abortRequested: false, releaseRequested: control.releaseRequested }, listChildren);
    const notBack = moves.outcomes().filter((c) => c.active !== 'switched');
    if (notBack.length === 0) await probe.setClusterState({ cluster: cluster.name, state: 'active' });
    update({ phase: 'tail', step: 'retain-failed' });
    await moves.finish();
    const failed = { ...progress.failed };
    for (const c of moves.outcomes()) if (c.active !== 'switched' || c.error) failed[c.topic] = c.error ?? 'the move back was aborted';
    update({ failed, step: 'done', phase: 'done', state: 'aborted' });
    return result(true, true);
  }

  function result(cameBack: boolean, aborted: boolean): ClusterFailoverResult {
    const standbys = Object.fromEntries(input.topics.filter((t) => progress.failed[t.topic] === undefined).map((t) => [t.topic, t.standby.name]));
    return { cluster: cluster.name, standbys, returned: cameBack, aborted, failed: progress.failed, mappingVersion: progress.mappingVersion };
  }
}

/**
 * Moves every topic of `input.moves` (child topic moves, `parallelism` in their active part at
 * once). Failback sets the cluster `active` once producers are home; drain sets it `retired` only
 * when every move has also released its source there (the cluster then holds nothing readable
 * and can be scaled down without any partition reassignment). Abort reaches every child and
 * restores the cluster's previous state.
 */
async function moveTopics(input: ClusterFailbackInput, kind: FailbackProgress['kind']): Promise<ClusterFailbackResult> {
  let progress: FailbackProgress = {
    kind,
    phase: 'active',
    state: 'running',
    step: 'move',
    cluster: input.cluster.name,
    topics: { total: input.moves.length, moved: 0, completed: 0 },
    running: [],
    children: [],
    failed: {},
  };
  const update = (change: Partial<FailbackProgress>): void => {
    progress = { ...progress, ...change };
  };
  const moves = childMoves();
  const control = operationControl((signal) => moves.forward(signal));
  setHandler(progressQuery, () => (progress.state === 'running' && control.paused ? { ...progress, state: 'paused' } : progress));
  const refresh = (): void => {
    const outcomes = moves.outcomes();
    update({
      children: outcomes.map((c) => c.workflowId),
      running: outcomes.filter((c) => c.active === null).map((c) => c.topic),
      topics: { total: input.moves.length, moved: outcomes.filter((c) => c.active === 'switched').length, completed: outcomes.filter((c) => c.result !== null || c.error !== null).length },
    });
  };
  const what = kind === 'cluster-failback' ? 'failback' : 'drain';
  log.info(`${what} of ${input.cluster.name}: ${input.moves.length} topic move(s), ${input.parallelism} at a time`);

  await moves.runActiveParts(input.moves, input.parallelism, control, refresh);
  refresh();
  const notMoved = (): [string, string][] =>
    moves
      .outcomes()
      .filter((c) => c.active !== 'switched' || c.error !== null)
      .map((c) => [c.topic, c.error ?? 'the move was aborted']);

  if (control.abortRequested) {
    update({ state: 'aborting', phase: 'tail', step: 'retain-sources' });
    moves.forward('abort');
    await moves.finish();
    refresh();
    await probe.setClusterState({ cluster: input.cluster.name, state: input.previousState });
    update({ failed: Object.fromEntries(notMoved()), state: 'aborted', phase: 'done', step: 'done' });
    return { cluster: input.cluster.name, moved: [], aborted: true };
  }

  const failedActive = notMoved();
  if (failedActive.length === 0 && kind === 'cluster-failback') {
    update({ step: 'set-state' });
    await probe.setClusterState({ cluster: input.cluster.name, state: 'active' });
  }
  update({ phase: 'tail', step: 'retain-sources' });
  let tailsDone = false;
  const tails = moves.finish().then(() => {
    tailsDone = true;
  });
  await condition(() => tailsDone || control.abortRequested);
  if (control.abortRequested) {
    // Aborted in the tail: the signal reached the children, which send producers back at once
    // and then keep this cluster's copies readable for their retention. The cluster's state goes
    // back as soon as producers have (a child still in its tail reports 'rolled-back'), not
    // hours later when those tails end.
    update({ state: 'aborting' });
    await condition(() => moves.outcomes().every((c) => c.active !== 'switched' || c.result !== null || c.error !== null));
    await probe.setClusterState({ cluster: input.cluster.name, state: input.previousState });
    await tails;
    refresh();
    update({ failed: Object.fromEntries(notMoved()), state: 'aborted', phase: 'done', step: 'done' });
    return { cluster: input.cluster.name, moved: [], aborted: true };
  }
  refresh();
  const failed = notMoved();
  update({ failed: Object.fromEntries(failed) });
  if (failed.length > 0) {
    // The cluster keeps its state: running the operation again moves what is still left.
    throw ApplicationFailure.nonRetryable(
      `${what} of ${input.cluster.name}: ${failed.length} topic(s) did not move${kind === 'cluster-failback' ? ' back' : ''} (${failed.map(([topic, why]) => `${topic}: ${why}`).join('; ')}); the cluster stays ${kind === 'cluster-failback' ? 'failed' : 'draining'}`,
      kind === 'cluster-failback' ? 'FAILBACK_INCOMPLETE' : 'DRAIN_INCOMPLETE',
    );
  }
  if (kind === 'cluster-drain') {
    update({ step: 'set-state' });
    await probe.setClusterState({ cluster: input.cluster.name, state: 'retired' });
  }
  update({ step: 'done', phase: 'done', state: 'completed' });
  return { cluster: input.cluster.name, moved: moves.outcomes().map((c) => c.topic), aborted: false };
}

export function clusterFailback(input: ClusterFailbackInput): Promise<ClusterFailbackResult> {
  return moveTopics(input, 'cluster-failback');
}

/** Moves every topic off a cluster, a few at a time, then retires it (ARCHITECTURE.md: scale down = drain a cluster). */
export function clusterDrain(input: ClusterFailbackInput): Promise<ClusterFailbackResult> {
  return moveTopics(input, 'cluster-drain');
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
