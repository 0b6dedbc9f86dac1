// How one send() call turns per-run acknowledgements into KafkaJS-shaped RecordMetadata.
import { describe, expect, it } from 'vitest';
import { SendCall, type AckTarget } from './send-call';

const target = (cluster: string, topic: string): AckTarget => ({ key: `${cluster}/${topic}`, cluster, topic });

describe('SendCall', () => {
  it('resolves once every record is acknowledged, with one entry per cluster, topic and partition at its lowest offset', async () => {
    const call = new SendCall();
    const done = call.start(6);
    call.acknowledge(target('a', 't'), 0, 10, 2);
    call.acknowledge(target('a', 't'), 0, 4, 1);
    call.acknowledge(target('a', 't'), 3, 7, 1);
    call.acknowledge(target('b', 't'), 0, 100, 2);
    expect(await done).toEqual([
      { topicName: 't', partition: 0, errorCode: 0, baseOffset: '4', logAppendTime: '-1', logStartOffset: '-1', cluster: 'a' },
      { topicName: 't', partition: 3, errorCode: 0, baseOffset: '7', logAppendTime: '-1', logStartOffset: '-1', cluster: 'a' },
      { topicName: 't', partition: 0, errorCode: 0, baseOffset: '100', logAppendTime: '-1', logStartOffset: '-1', cluster: 'b' },
    ]);
  });

  it('fails at its first failure and ignores later outcomes of its records', async () => {
    const call = new SendCall();
    const done = call.start(3);
    call.acknowledge(target('a', 't'), 0, 0, 1);
    call.fail(new Error('first'));
    call.fail(new Error('second'));
    call.acknowledge(target('a', 't'), 0, 1, 2);
    await expect(done).rejects.toThrow('first');
  });

  it('stays pending while records are missing', async () => {
    const call = new SendCall();
    const done = call.start(2);
    call.acknowledge(target('a', 't'), 1, 5, 1);
    const outcome = await Promise.race([done.then(() => 'settled'), new Promise((resolve) => setImmediate(() => resolve('pending')))]);
    expect(outcome).toBe('pending');
  });
});
