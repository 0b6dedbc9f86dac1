// Moves a topic from one cluster to another without copying data (ARCHITECTURE.md §4): create on
// the target, consumers read both, producers write to the target, wait until every producer
// switched (fence stragglers on the source), wait until every consumer group drained the source,
// consumers read the target only. Keyed topics add the handoff: once producers switched, the
// source's end offsets are sealed and consumers start each target partition only after reading
// the source partition up to its seal. Abort runs the same procedure back to the source.
import { condition, defineQuery, defineSignal, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { ClusterRef, KafkaActivities } from './contracts';
import type { MoveProgress, MoveStep, OperationActivities, TopicMoveInput, TopicMoveResult } from './topic-move.contracts';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;
const kafka = proxyActivities<KafkaActivities>({ startToCloseTimeout: '2 minutes', retry });
const ops = proxyActivities<OperationActivities>({ startToCloseTimeout: '1 minute', retry });

export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const abortSignal = defineSignal('abort');
export const progressQuery = defineQuery<MoveProgress>('progress');

export async function topicMove(input: TopicMoveInput): Promise<TopicMoveResult> {
  let paused = false;
  let abortRequested = false;
  let progress: MoveProgress = {
    step: 'create-target',
    state: 'running',
    mappingVersion: null,
    producers: { switched: 0, total: 0, fenced: false },
    lag: {},
    sealed: null,
  };
  const update = (change: Partial<MoveProgress>): void => {
    progress = { ...progress, ...change };
  };
  setHandler(pauseSignal, () => {
    paused = true;
    if (progress.state === 'running') update({ state: 'paused' });
  });
  setHandler(resumeSignal, () => {
    paused = false;
    if (progress.state === 'paused') update({ state: 'running' });
  });
  setHandler(abortSignal, () => {
    abortRequested = true;
  });
  setHandler(progressQuery, () => progress);

  /** Between steps: holds while paused; true when an abort should take over now. */
  const proceed = async (): Promise<boolean> => {
    await condition(() => !paused || abortRequested);
    return !abortRequested;
  };
  const publish = async (change: Omit<Parameters<OperationActivities['publishPlacement']>[0], 'topic'>): Promise<number> => {
    const version = await ops.publishPlacement({ topic: input.topic, ...change });
    update({ mappingVersion: version });
    return version;
  };
  const step = (name: MoveStep): void => update({ step: name });
  const { topic, from, to } = input;
  /** Whether this move fenced writes on its source (undone if an abort sends producers back). */
  let sourceFenced = false;

  step('create-target');
  await kafka.ensureTopic({ cluster: to, topic, partitions: input.partitions, replicationFactor: input.replicationFactor, configs: { ...input.configs } });
  if (!(await proceed())) return abortBeforeProducers(false);

  step('consumers-read-both');
  await publish({
    consumers: [from.name, to.name],
    ...(input.keyed ? { handoff: { action: 'start', from: from.name, to: to.name, keyed: true } } : {}),
    reason: `move ${topic} ${from.name} → ${to.name}: consumers read both`,
  });
  if (!(await proceed())) return abortBeforeProducers(true);

  const forward = await switchAndDrain(from, to, true);
  if (forward.aborted) {
    // Producers may have written to the target already: move back the same way, losing nothing.
    update({ state: 'aborting' });
    if (sourceFenced) await ops.unfenceWrites({ cluster: from, topic });
    await switchAndDrain(to, from, false);
    update({ state: 'aborted', step: 'done' });
    return result(true);
  }
  update({ state: 'completed', step: 'done' });
  return result(false);

  /** Steps 3–6 from `source` to `target`; `abortable` is false for the way back. */
  async function switchAndDrain(source: ClusterRef, target: ClusterRef, abortable: boolean): Promise<{ aborted: boolean }> {
    // A keyed move honours an abort only once consumers drained the source up to the seal: the
    // way back then starts from one clean handoff, so per-key order holds across the abort too.
    let drained = false;
    const interrupted = (): boolean => abortable && abortRequested && (!input.keyed || drained);
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
        if (abortable) sourceFenced = true;
        update({ producers: { ...progress.producers, fenced: true } });
        break;
      }
      await sleep(input.pollMs);
      if (interrupted()) return { aborted: true };
    }
    if (abortable && !input.keyed && !(await proceed())) return { aborted: true };

    if (input.keyed) {
      const sealed = await ops.endOffsets({ cluster: source, topic });
      update({ sealed });
      await publish({ handoff: { action: 'seal', sealed }, reason: `move ${topic}: sealed ${source.name} at its end offsets` });
    }

    step('wait-drain');
    const drainDeadline = Date.now() + input.drainTimeoutMs;
    for (;;) {
      const { lag } = await ops.drainStatus({ cluster: source, topic });
      update({ lag });
      if (Object.values(lag).every((left) => left === 0) || Date.now() >= drainDeadline) break;
      await sleep(input.pollMs);
      if (interrupted()) return { aborted: true };
    }
    drained = true;
    if (abortable && !(await proceed())) return { aborted: true };

    step('consumers-target-only');
    await publish({
      consumers: [target.name],
      ...(input.keyed ? { handoff: { action: 'end' } } : {}),
      reason: `move ${topic} ${source.name} → ${target.name}: ${source.name} drained`,
    });
    if (input.deleteSource) {
      await ops.deleteTopic({ cluster: source, topic });
      // ACLs are by name: a fence left behind would block a topic created there later under it.
      if (progress.producers.fenced) await ops.unfenceWrites({ cluster: source, topic });
    }
    return { aborted: false };
  }

  async function abortBeforeProducers(published: boolean): Promise<TopicMoveResult> {
    update({ state: 'aborting' });
    if (published) {
      await publish({ consumers: [from.name], ...(input.keyed ? { handoff: { action: 'end' } } : {}), reason: `abort move of ${topic}: nothing was written to ${to.name}` });
    }
    await ops.deleteTopic({ cluster: to, topic });
    update({ state: 'aborted', step: 'done' });
    return result(true);
  }

  function result(aborted: boolean): TopicMoveResult {
    return { topic, from: from.name, to: to.name, aborted, mappingVersion: progress.mappingVersion ?? 0, fencedStragglers: progress.producers.fenced };
  }
}
