import { describe, expect, it } from 'vitest';
import { CONSUMER_EVENTS, ConsumerEvents, type InstrumentationEvent } from './consumer-events';

describe('ConsumerEvents', () => {
  it('calls listeners with the KafkaJS event shape until removed', () => {
    const events = new ConsumerEvents();
    const seen: InstrumentationEvent<unknown>[] = [];
    const remove = events.on(CONSUMER_EVENTS.COMMIT_OFFSETS, (event) => void seen.push(event));
    events.emit(CONSUMER_EVENTS.COMMIT_OFFSETS, { groupId: 'g' });
    remove();
    events.emit(CONSUMER_EVENTS.COMMIT_OFFSETS, { groupId: 'g' });
    expect(seen).toEqual([{ id: 1, type: 'consumer.commit_offsets', timestamp: expect.any(Number), payload: { groupId: 'g' } }]);
  });

  it('refuses a KafkaJS event it never emits, saying why, and an unknown one with the list', () => {
    const events = new ConsumerEvents();
    expect(() => events.on('consumer.heartbeat', () => {})).toThrow(/"consumer.heartbeat" is not emitted by the Flotilla consumer: heartbeats are sent by the transport/);
    expect(() => events.on('consumer.conect', () => {})).toThrow(/unknown event "consumer.conect"; expected one of consumer.connect,/);
  });

  it('keeps emitting to the other listeners when one throws', () => {
    const events = new ConsumerEvents();
    let called = false;
    events.on(CONSUMER_EVENTS.CRASH, () => {
      throw new Error('listener failed');
    });
    events.on(CONSUMER_EVENTS.CRASH, () => void (called = true));
    events.emit(CONSUMER_EVENTS.CRASH, {});
    expect(called).toBe(true);
  });
});
