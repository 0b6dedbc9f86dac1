// A node-rdkafka message as the transports' ConsumedRecord: Buffers for key and header values,
// offsets and timestamps as decimal strings, as KafkaJS hands them out.
import type { Message } from 'node-rdkafka';
import type { ConsumedRecord } from './transport';

export function toConsumedRecord(message: Message): ConsumedRecord {
  const headers: Record<string, Buffer | undefined> = {};
  for (const header of message.headers ?? []) {
    for (const [name, value] of Object.entries(header)) headers[name] = typeof value === 'string' ? Buffer.from(value) : value;
  }
  return {
    offset: String(message.offset),
    key: message.key === undefined || message.key === null ? null : typeof message.key === 'string' ? Buffer.from(message.key) : message.key,
    value: message.value,
    headers,
    timestamp: String(message.timestamp ?? -1),
    // node-rdkafka does not pass the batch attributes on.
    attributes: 0,
  };
}
