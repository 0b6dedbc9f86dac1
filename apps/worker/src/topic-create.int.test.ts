// The topic-create workflow on the real Temporal dev server with a real worker: the topic
// appears on the real Kafka cluster; a name Kafka rejects fails the workflow at once with
// an error naming the topic instead of being retried forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { connectAdmin } from '@flotilla/kafka';
import { testCluster, testPlatform, uniqueName } from '@flotilla/testing';
import { TASK_QUEUE, topicCreate, workflowIds, type TopicCreateInput } from '@flotilla/workflows';
import { createActivities } from './activities';
import { createWorker } from './create-worker';

// The SDK logs every failed activity at WARN; the expected failure below would flood the output.
Runtime.install({ logger: new DefaultLogger('ERROR') });

describe('topicCreate workflow on the real Temporal server', () => {
  let worker: Worker;
  let running: Promise<void>;
  let closeWorkerConnection: () => Promise<void>;
  let client: Client;
  let connection: Connection;
  const taskQueue = uniqueName(TASK_QUEUE);

  beforeAll(async () => {
    const { temporal } = testPlatform();
    const created = await createWorker({ address: temporal.address, namespace: temporal.namespace, taskQueue, activities: createActivities({ connectAdmin }) });
    worker = created.worker;
    closeWorkerConnection = () => created.connection.close();
    running = worker.run();
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection, namespace: temporal.namespace });
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await closeWorkerConnection?.();
    await connection?.close();
  });

  it('creates the topic on the cluster with the requested partitions, idempotently', async () => {
    const cluster = testCluster('consumer-1');
    const topic = uniqueName('wf-topic');
    const input: TopicCreateInput = {
      cluster: { name: cluster.name, bootstrap: cluster.bootstrap },
      topic,
      partitions: 6,
      replicationFactor: 1,
      configs: { 'retention.ms': String(4 * 3600_000) },
    };
    const result = await client.workflow.execute(topicCreate, { taskQueue, workflowId: workflowIds.topicCreate(cluster.name, topic), args: [input] });
    expect(result).toEqual({ cluster: cluster.name, topic, partitions: 6 });

    const admin = await connectAdmin({ bootstrap: cluster.bootstrap });
    expect(await admin.partitionCount(topic)).toBe(6);
    await admin.close();

    // A second run (a retried request) finds the topic and succeeds without change.
    const again = await client.workflow.execute(topicCreate, { taskQueue, workflowId: `${workflowIds.topicCreate(cluster.name, topic)}:2`, args: [input] });
    expect(again.partitions).toBe(6);
  });

  it('fails without retrying when Kafka rejects the topic name, naming it', async () => {
    const cluster = testCluster('consumer-1');
    const topic = 'bad topic name!';
    const started = Date.now();
    const error = await client.workflow
      .execute(topicCreate, {
        taskQueue,
        workflowId: uniqueName('bad-topic'),
        args: [{ cluster: { name: cluster.name, bootstrap: cluster.bootstrap }, topic, partitions: 1, replicationFactor: 1 }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause?.cause as Error | undefined;
    expect(cause?.message).toMatch(/create topic "bad topic name!".*invalid topic name/);
    // Non-retryable: it did not sit through the retry policy's backoff.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
