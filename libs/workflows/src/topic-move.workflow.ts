// Moves a topic from one cluster to another without copying data (ARCHITECTURE.md §4). The active
// part: create on the target, consumers read both, producers write to the target, wait until every
// producer switched (fence stragglers on the source); keyed topics then seal the source's end
// offsets for the handoff. The tail: the source stays on the consumer side until the topic's
// retention has passed since producers left it (a durable timer), so a consumer group created
// later still reads every record; only an explicit early release ends it sooner, and only once
// live groups exist and all of them read the source to the end. Then consumers read the target
// only and the (by then empty) source topic goes. Abort runs the same procedure back to the source.
import { condition, log, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { ClusterRef, KafkaActivities } from './contracts';
import { groupTracker } from './group-drain';
import { operationControl, progressQuery, reportActiveDone } from './operation-signals';
import type { MoveProgress, MoveStep, OperationActivities, SourceTail, TopicMoveInput, TopicMoveResult } from './topic-move.contracts';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;
const kafka = proxyActivities<KafkaActivities>({ startToCloseTimeout: '2 minutes', retry });
const ops = proxyActivities<OperationActivities>({ startToCloseTimeout: '1 minute', retry });

export async function topicMove(input: TopicMoveInput): Promise<TopicMoveResult> {
  const control = operationControl();
  let progress: MoveProgress = {
    kind: 'topic-move',
    phase: 'active',
    step: 'create-target',
    state: 'running',
    mappingVersion: null,
    producers: { switched: 0, total: 0, fenced: false },
    lag: {},
    sealed: null,
    tail: null,
    abortPending: null,
  };
  const update = (change: Partial<MoveProgress>): void => {
    progress = { ...progress, ...change };
  };
  setHandler(progressQuery, () => (progress.state === 'running' && control.paused ? { ...progress, state: 'paused' } : progress));

  /** Between steps: holds while paused; true when an abort should take over now. */
  const proceed = async (): Promise<boolean> => {
    await condition(() => !control.paused || control.abortRequested);
    return !control.abortRequested;
  };
  const publish = async (change: Omit<Parameters<OperationActivities['publishPlacement']>[0], 'topic'>): Promise<number> => {
    const version = await ops.publishPlacement({ topic: input.topic, ...change });
    update({ mappingVersion: version });
    log.info(`mapping v${version}: ${change.reason}`);
    return version;
  };
  const step = (name: MoveStep): void => {
    update({ step: name });
    log.info(`move ${input.topic} ${input.from.name} → ${input.to.name}: ${name}${progress.state === 'aborting' ? ' (aborting)' : ''}`);
  };
  const { topic, from, to } = input;
  /** Whether this move fenced writes on its source (undone if an abort sends producers back). */
  let sourceFenced = false;
  let releasedEarly = false;

  step('create-target');
  if (input.replaceStaleTarget) await ops.deleteTopicAndWait({ cluster: to, topic });
  await kafka.ensureTopic({ cluster: to, topic, partitions: input.partitions, replicationFactor: input.replicationFactor, configs: { ...input.configs } });
  if (!(await proceed())) return abortBeforeProducers(false);

  step('consumers-read-both');
  await publish({
    consumers: [from.name, to.name],
    ...(input.keyed ? { handoff: { action: 'start', from: from.name, to: to.name, keyed: true } } : {}),
    reason: `move ${topic} ${from.name} → ${to.name}: consumers read both`,
  });
  if (!(await proceed())) return abortBeforeProducers(true);

  if ((await switchProducers(from, to, true)) === 'aborted') return rollBack();
  update({ phase: 'tail' });
  await reportActiveDone(topic, 'switched');
  if ((await retainThenRelease(from, to, true)) === 'aborted') return rollBack();
  update({ state: 'completed', step: 'done', phase: 'done' });
  return result(false);

  /** Producers go back to the source; the target stays readable for its retention, then goes. */
  async function rollBack(): Promise<TopicMoveResult> {
    update({ state: 'aborting', phase: 'active', abortPending: null });
    if (sourceFenced) await ops.unfenceWrites({ cluster: from, topic });
    progress = { ...progress, producers: { ...progress.producers, fenced: false } };
    await switchProducers(to, from, false);
    update({ phase: 'tail' });
    await reportActiveDone(topic, 'rolled-back');
    await retainThenRelease(to, from, false);
    update({ state: 'aborted', step: 'done', phase: 'done' });
    return result(true);
  }

  /** Steps 3–4 from `source` to `target` (and the keyed seal); `abortable` is false for the way back. */
  async function switchProducers(source: ClusterRef, target: ClusterRef, abortable: boolean): Promise<'switched' | 'aborted'> {
    // A keyed move honours an abort only in its tail, once groups read the source to the seal:
    // the way back then starts from one clean handoff, so per-key order holds across the abort.
    const interrupted = (): boolean => abortable && control.abortRequested && !input.keyed;
    step('producers-to-target');
    if (!abortable && input.keyed) {
      await publish({ handoff: { action: 'start', from: source.name, to: target.name, keyed: true }, reason: `abort move of ${topic}: back to ${target.name}` });
    }
    const version = await publish({ producers: [target.name], reason: `move ${topic} ${source.name} → ${target.name}: producers write to ${target.name}` });

    step('wait-producers');
    const switchDeadline = Date.now() + input.producerSwitchTimeoutMs;
    for (;;) {
      const status = await ops.producerStatus({ topic, version });
      update({ producers: { switched: status.switched, total: status.total, fenced: progress.producers.fenced } });
      if (status.switched >= status.total) break;
      if (Date.now() >= switchDeadline) {
        // Stragglers must not write behind the move: their sends to the source now fail, and
        // they reach the target once they take the new version.
        await ops.fenceWrites({ cluster: source, topic });
        log.info(`move ${topic}: fenced writes on ${source.name}, ${status.total - status.switched} producer(s) never took v${version}: ${status.stragglers.join(', ')}`);
        if (abortable) sourceFenced = true;
        update({ producers: { ...progress.producers, fenced: true } });
        break;
      }
      await sleep(input.pollMs);
      if (interrupted()) return 'aborted';
    }
    if (abortable && !input.keyed && !(await proceed())) return 'aborted';

    if (input.keyed) {
      const sealed = await ops.endOffsets({ cluster: source, topic });
      update({ sealed });
      await publish({ handoff: { action: 'seal', sealed }, reason: `move ${topic}: sealed ${source.name} at its end offsets` });
    }
    return 'switched';
  }

  /**
   * Steps 5–6: the source stays on the consumer side until retention has passed since producers
   * left it, or until an explicit early release finds it read to the end; then consumers read the
   * target only and the source topic is deleted.
   */
  async function retainThenRelease(source: ClusterRef, target: ClusterRef, abortable: boolean): Promise<'released' | 'aborted'> {
    step('retain-source');
    const producersLeftAt = Date.now();
    const readableUntil = producersLeftAt + input.retentionMs;
    const releasing = (): boolean => input.releaseWhenDrained || control.releaseRequested;
    const aborting = (): boolean => abortable && control.abortRequested;
    let tail: SourceTail = { producersLeftAt, readableUntil, releaseWhenDrained: releasing(), groups: [], blockedBy: null };
    update({ tail });
    log.info(`move ${topic}: producers left ${source.name}; it stays readable until ${new Date(readableUntil).toISOString()} (retention ${input.retentionMs} ms)`);
    const judge = groupTracker(input.staleGroupMs, source.name);

    /** True when at least one live group exists and every live group has read the source to the end. */
    const pollGroups = async (): Promise<boolean> => {
      const status = await ops.drainStatus({ cluster: source, topic });
      const { groups, drained, blockedBy } = judge(status, Date.now());
      tail = { ...tail, releaseWhenDrained: releasing(), groups, blockedBy };
      update({ tail, lag: status.lag });
      return drained;
    };

    for (;;) {
      const left = readableUntil - Date.now();
      if (left <= 0) break;
      if (aborting() && !input.keyed) return 'aborted';
      if (releasing() || aborting()) {
        const drained = await pollGroups();
        if (aborting()) {
          if (drained) return 'aborted';
          update({ abortPending: `a keyed move goes back only once every group read ${source.name} to its seal: ${tail.blockedBy ?? ''}` });
        }
        if (releasing() && drained) {
          releasedEarly = true;
          break;
        }
        await sleep(Math.min(input.pollMs, left));
      } else {
        update({ tail: { ...tail, releaseWhenDrained: false } });
        // A durable timer: a restarted worker picks it up where it was.
        await condition(() => control.releaseRequested || aborting(), left);
      }
    }
    // Past retention the source holds nothing readable: a pending keyed abort may go back now.
    if (aborting()) return 'aborted';
    // Pause holds the release; an abort overrides it (on the way back too, where the pause that
    // preceded the abort may still be set).
    await condition(() => !control.paused || control.abortRequested);
    if (aborting()) return 'aborted';

    step('consumers-target-only');
    await publish({
      consumers: [target.name],
      ...(input.keyed ? { handoff: { action: 'end' } } : {}),
      reason: releasedEarly
        ? `move ${topic} ${source.name} → ${target.name}: released early, every live group read ${source.name} to the end`
        : `move ${topic} ${source.name} → ${target.name}: ${source.name} held it for its retention since producers left`,
    });
    if (input.deleteSource) {
      await ops.deleteTopic({ cluster: source, topic });
      // ACLs are by name: a fence left behind would block a topic created there later under it.
      if (progress.producers.fenced) await ops.unfenceWrites({ cluster: source, topic });
    }
    update({ tail: { ...tail, readableUntil: Date.now(), blockedBy: null } });
    return 'released';
  }

  async function abortBeforeProducers(published: boolean): Promise<TopicMoveResult> {
    update({ state: 'aborting' });
    if (published) {
      await publish({ consumers: [from.name], ...(input.keyed ? { handoff: { action: 'end' } } : {}), reason: `abort move of ${topic}: nothing was written to ${to.name}` });
    }
    await ops.deleteTopic({ cluster: to, topic });
    update({ state: 'aborted', step: 'done', phase: 'done' });
    await reportActiveDone(topic, 'rolled-back');
    return result(true);
  }

  function result(aborted: boolean): TopicMoveResult {
    return {
      topic,
      from: from.name,
      to: to.name,
      aborted,
      mappingVersion: progress.mappingVersion ?? 0,
      fencedStragglers: progress.producers.fenced,
      releasedEarly,
    };
  }
}
