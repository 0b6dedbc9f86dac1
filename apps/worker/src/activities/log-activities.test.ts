// What the worker's terminal shows of an operation's steps: each activity run in a real activity
// context (Temporal's MockActivityEnvironment) logs its name, workflow, input summary and outcome.
import { PassThrough } from 'node:stream';
import { createLogger } from '@flotilla/observability';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { logActivities } from './log-activities';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

function capture(): { logger: ReturnType<typeof createLogger>; lines: () => Promise<Line[]> } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const logger = createLogger({ service: 'worker', destination: stream, level: 'info' });
  return {
    logger,
    lines: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Line);
    },
  };
}

const fronting1 = { name: 'fronting-1', bootstrap: ['127.0.0.1:19092'] };

describe('logActivities', () => {
  it('logs a published placement at info with its version, reason and workflow', async () => {
    const { logger, lines } = capture();
    const activities = logActivities({ publishPlacement: async (change: { topic: string; producers: string[]; reason: string }) => (change.topic === 'orders' ? 7 : 0) }, logger);
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: 'topic-move:orders:1', runId: 'r' }, attempt: 2 });

    const version = await env.run(activities.publishPlacement, { topic: 'orders', producers: ['fronting-2'], reason: 'move orders: producers to fronting-2' });

    expect(version).toBe(7);
    expect(await lines()).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'publishPlacement done',
        activity: 'publishPlacement',
        workflowId: 'topic-move:orders:1',
        attempt: 2,
        input: { topic: 'orders', producers: ['fronting-2'], reason: 'move orders: producers to fronting-2' },
        result: 7,
      }),
    ]);
  });

  it('names the cluster of a fence, and logs a failure at warn with the message and no stack', async () => {
    const { logger, lines } = capture();
    const activities = logActivities(
      {
        fenceWrites: async (_input: { cluster: typeof fronting1; topic: string }) => {},
        deleteTopic: async (_input: { cluster: typeof fronting1; topic: string }) => {
          throw new Error('cluster fronting-1 is not answering');
        },
      },
      logger,
    );
    // The SDK's own log of the failure is not what this test reads.
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR', () => {}) });

    await env.run(activities.fenceWrites, { cluster: fronting1, topic: 'orders' });
    const deleting = env.run(activities.deleteTopic, { cluster: fronting1, topic: 'orders' });

    await expect(deleting).rejects.toThrow('cluster fronting-1 is not answering');
    const [fenced, failed] = await lines();
    expect(fenced).toMatchObject({ level: 30, msg: 'fenceWrites done', input: { cluster: 'fronting-1', topic: 'orders' } });
    expect(fenced).not.toHaveProperty('result');
    expect(failed).toMatchObject({ level: 40, msg: 'deleteTopic failed', input: { cluster: 'fronting-1', topic: 'orders' }, error: 'cluster fronting-1 is not answering' });
    expect(JSON.stringify(failed)).not.toContain('    at ');
  });

  it('keeps the polls a waiting workflow repeats below info', async () => {
    const { logger, lines } = capture();
    const activities = logActivities({ producerStatus: async (_input: { topic: string; version: number }) => ({ total: 2, switched: 1, stragglers: ['p1'] }) }, logger);

    await new MockActivityEnvironment().run(activities.producerStatus, { topic: 'orders', version: 7 });

    expect(await lines()).toEqual([]);
  });
});
