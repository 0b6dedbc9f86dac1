// How a send's input becomes sized records per target cluster, refused whole on bad input.
import { describe, expect, it } from 'vitest';
import { compileMapping } from '@flotilla/mapping';
import { stageSend } from './pending-record';
import { SendCall } from './send-call';

const mapping = compileMapping({
  version: 3,
  clusters: {
    one: { bootstrap: ['127.0.0.1:1'], role: 'fronting', tier: 'medium' },
    two: { bootstrap: ['127.0.0.1:2'], role: 'fronting', tier: 'medium' },
  },
  producers: { mirrored: { where: [{ sink: 'one' }, { sink: 'two' }] }, __default__: { where: [{ sink: 'one' }] } },
  consumers: { __default__: [{ vip: 'one' }] },
  handoffs: {},
});

describe('stageSend', () => {
  it('sizes each record by key, value and headers and stages a copy per sink cluster, numbered in order', () => {
    let seq = 0;
    const { staged, count, bytes } = stageSend(
      { topicMessages: [{ topic: 'mirrored', messages: [{ key: 'k', value: 'vv', headers: { h: 'xyz' } }, { value: null }] }] },
      mapping,
      new SendCall(),
      () => ++seq,
    );
    expect(staged.map((s) => [s.cluster.name, s.records.map((r) => r.seq)])).toEqual([
      ['one', [1, 2]],
      ['two', [3, 4]],
    ]);
    expect(staged[0]!.records[0]).toMatchObject({ size: 1 + 2 + 1 + 3, key: Buffer.from('k'), value: Buffer.from('vv'), requested: undefined });
    expect(count).toBe(4);
    expect(bytes).toBe(14);
  });

  it('refuses bad input naming the field, the value and what was expected', () => {
    const stage = (batch: unknown) => () => stageSend(batch as never, mapping, new SendCall(), () => 0);
    expect(stage({ topicMessages: 'x' })).toThrow('topicMessages: expected an array, got "x"');
    expect(stage({ topicMessages: [{ topic: '', messages: [{ value: 'v' }] }] })).toThrow('topicMessages[0].topic: expected a topic name, got ""');
    expect(stage({ topicMessages: [{ topic: 't', messages: [] }] })).toThrow('t: messages must be a non-empty array');
    expect(stage({ topicMessages: [{ topic: 't', messages: [{ value: 'v' }, { value: 7 }] }] })).toThrow('messages[1].value: expected Buffer, string or null, got number');
    expect(stage({ topicMessages: [{ topic: 't', messages: [{ value: 'v', partition: -1 }] }] })).toThrow('messages[0].partition: expected a non-negative integer, got -1');
    expect(stage({ topicMessages: [{ topic: 't', messages: [{ value: 'v', headers: { h: 1 } }] }] })).toThrow('messages[0].headers.h: expected Buffer, string or an array of them');
    expect(stage({ topicMessages: [{ topic: 't', messages: [{ value: 'v', headers: { h: ['x', 2] } }] }] })).toThrow('messages[0].headers.h: expected Buffer, string or an array of them');
  });

  it('takes an array header value as the header repeated, sized per value', () => {
    const { staged, bytes } = stageSend({ topicMessages: [{ topic: 't', messages: [{ value: null, headers: { h: ['x', Buffer.from('yz')] } }] }] }, mapping, new SendCall(), () => 1);
    expect(staged[0]!.records[0]!.headers).toEqual({ h: ['x', Buffer.from('yz')] });
    expect(bytes).toBe(1 + 1 + 1 + 2);
  });
});
