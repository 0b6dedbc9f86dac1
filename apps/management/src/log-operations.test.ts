import { PassThrough } from 'node:stream';
import { createLogger } from '@flotilla/observability';
import { describe, expect, it } from 'vitest';
import { logOperations } from './log-operations';

async function linesOf(text: { value: string }): Promise<Record<string, unknown>[]> {
  await new Promise((resolve) => setImmediate(resolve));
  return text.value.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logOperations', () => {
  it('logs each started and signalled operation at info once Temporal took it, and nothing for reads or refusals', async () => {
    const stream = new PassThrough();
    const text = { value: '' };
    stream.on('data', (chunk: Buffer) => (text.value += chunk.toString()));
    const gateway = logOperations(
      {
        startClusterFailover: async (_id: string, _input: object) => {},
        startTopicMove: async (_id: string, _input: object) => {
          throw new Error('topic move "m" is already running');
        },
        signal: async (_id: string, _signal: string) => {},
        status: async (_id: string) => ({ status: 'running' }),
      },
      createLogger({ service: 'management', destination: stream }),
    );

    await gateway.startClusterFailover('cluster-failover:fronting-1:1', { cluster: { name: 'fronting-1', bootstrap: ['127.0.0.1:19092'] }, topics: ['a', 'b'] });
    await expect(gateway.startTopicMove('topic-move:m:1', { topic: 'm' })).rejects.toThrow('already running');
    await gateway.signal('cluster-failover:fronting-1:1', 'pause');
    await gateway.status('cluster-failover:fronting-1:1');

    expect(await linesOf(text)).toEqual([
      expect.objectContaining({ level: 30, msg: 'operation started', workflowId: 'cluster-failover:fronting-1:1', kind: 'cluster-failover', input: { cluster: 'fronting-1', topics: ['a', 'b'] } }),
      expect.objectContaining({ level: 30, msg: 'operation signalled', workflowId: 'cluster-failover:fronting-1:1', signal: 'pause' }),
    ]);
  });
});
