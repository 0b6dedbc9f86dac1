import type { Message } from 'node-rdkafka';
import { describe, expect, it } from 'vitest';
import { toConsumedRecord } from './rdkafka-record';

function message(fields: Partial<Message>): Message {
  return { topic: 't', partition: 0, offset: 41, size: 0, value: Buffer.from('v'), ...fields };
}

describe('toConsumedRecord', () => {
  it('gives key and header values as Buffers and offsets and timestamps as decimal strings', () => {
    const record = toConsumedRecord(message({ key: 'k', timestamp: 1_700_000_000_000, headers: [{ a: 'x' }, { b: Buffer.from('y') }] }));
    expect(record).toEqual({ offset: '41', key: Buffer.from('k'), value: Buffer.from('v'), headers: { a: Buffer.from('x'), b: Buffer.from('y') }, timestamp: '1700000000000', attributes: 0 });
  });

  it('reads a missing key as null and a missing timestamp as -1, like KafkaJS', () => {
    expect(toConsumedRecord(message({ key: null }))).toMatchObject({ key: null, timestamp: '-1', headers: {} });
    expect(toConsumedRecord(message({}))).toMatchObject({ key: null });
  });

  it('gives a header repeated in the record as an array of its values, in order, and keeps NUL bytes', () => {
    const binary = Buffer.from([0x61, 0x00, 0xff]);
    const record = toConsumedRecord(message({ headers: [{ h: 'x' }, { bin: binary }, { h: Buffer.from('y') }, { h: 'z' }] }));
    expect(record.headers).toEqual({ h: [Buffer.from('x'), Buffer.from('y'), Buffer.from('z')], bin: binary });
  });
});
