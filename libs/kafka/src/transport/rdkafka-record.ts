// A node-rdkafka message as the transports' ConsumedRecord: Buffers for key and header values,
// offsets and timestamps as decimal strings, as KafkaJS hands them out. Header values are copied
// as librdkafka holds them, NUL bytes included.
import type { Message } from 'node-rdkafka';
import type { ConsumedRecord } from './transport';

export function toConsumedRecord(message: Message): ConsumedRecord {
  const headers: ConsumedRecord['headers'] = {};
  for (const header of message.headers ?? []) {
    for (const [name, raw] of Object.entries(header)) {
      const value = typeof raw === 'string' ? Buffer.from(raw) : raw;
      // A header repeated in the record becomes an array of its values, in record order, as in KafkaJS.
      const earlier = headers[name];
      headers[name] = earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
    }
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
