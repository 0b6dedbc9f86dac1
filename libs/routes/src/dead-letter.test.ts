import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS, MAX_DEAD_LETTER_ERROR_LENGTH, deadLetterHeaders, deadLetterRecord, type DeadLetterInfo } from './index';
import { bytesRecord } from './test-support/route-fixtures';

const INFO: DeadLetterInfo = {
  route: 'orders-eu',
  step: 2,
  stepType: 'rename',
  error: 'cannot rename "customer.phone": the value has no such field',
  topic: 'orders',
  partition: 3,
  offset: '9007199254740993',
  cluster: 'fronting-kafka-1',
};

describe('deadLetterHeaders', () => {
  it('names the route, the step, the error and where the record was read, all as strings', () => {
    expect(deadLetterHeaders(INFO)).toEqual({
      'flotilla.dlq.route': 'orders-eu',
      'flotilla.dlq.step': '2',
      'flotilla.dlq.step.type': 'rename',
      'flotilla.dlq.error': 'cannot rename "customer.phone": the value has no such field',
      'flotilla.dlq.source.topic': 'orders',
      'flotilla.dlq.source.partition': '3',
      'flotilla.dlq.source.offset': '9007199254740993',
      'flotilla.dlq.source.cluster': 'fronting-kafka-1',
    });
    expect(Object.keys(deadLetterHeaders(INFO)).every((name) => name.startsWith('flotilla.dlq.'))).toBe(true);
    expect(Object.values(DEAD_LETTER_HEADERS).sort()).toEqual(Object.keys(deadLetterHeaders(INFO)).sort());
  });

  it('bounds the error text and says how long it was', () => {
    const error = deadLetterHeaders({ ...INFO, error: 'e'.repeat(50_000) })[DEAD_LETTER_HEADERS.error];
    expect(error.length).toBe(MAX_DEAD_LETTER_ERROR_LENGTH);
    expect(error.endsWith('… (50000 characters)')).toBe(true);
  });

  it('never cuts a character in two', () => {
    const error = deadLetterHeaders({ ...INFO, error: '😀'.repeat(5_000) })[DEAD_LETTER_HEADERS.error];
    expect(error.length).toBeLessThanOrEqual(MAX_DEAD_LETTER_ERROR_LENGTH);
    expect(Buffer.from(error, 'utf8').toString('utf8')).toBe(error);
    expect(error).not.toContain('\ufffd');
    expect(error).toMatch(/^(😀)+… \(10000 characters\)$/u);
  });
});

describe('deadLetterRecord', () => {
  it('keeps the key, value, headers and timestamp as they were, adding the dead-letter headers', () => {
    const value = Buffer.from([0xff, 0xfe, 0x00]);
    const record = bytesRecord(value, { key: Buffer.from('k'), headers: { trace: Buffer.from('t'), multi: ['a', Buffer.from('b')] } });
    const dead = deadLetterRecord(record, INFO);
    expect(dead.value).toBe(value);
    expect(dead.key).toBe(record.key);
    expect(dead.timestamp).toBe(record.timestamp);
    expect(dead.headers).toEqual({ ...record.headers, ...deadLetterHeaders(INFO) });
    expect(record.headers).not.toHaveProperty(DEAD_LETTER_HEADERS.route);
  });

  it('replaces the dead-letter headers of a record dead-lettered before', () => {
    const record = bytesRecord('x', { headers: { [DEAD_LETTER_HEADERS.route]: 'older-route' } });
    expect(deadLetterRecord(record, INFO).headers[DEAD_LETTER_HEADERS.route]).toBe('orders-eu');
  });
});
