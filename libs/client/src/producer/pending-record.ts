// A record accepted by send() and not yet acknowledged, and how a send's input becomes such
// records: checked, converted to bytes and sized once, then staged per target cluster. Nothing
// is staged unless the whole call passed, so a call is refused whole.

// Imported, not the global: Node defines globalThis.Buffer as a getter, and toBuffer reads it
// once per record.
import { Buffer } from 'node:buffer';
import type { HeaderValue, TransportRecord } from '@flotilla/kafka';
import type { ClusterRef, CompiledMapping } from '@flotilla/mapping';
import { ValidationError } from '@flotilla/errors';
import type { SendCall } from './send-call';
import type { Message, ProducerBatch } from './producer-types';

/**
 * One record waiting for, or in flight to, one cluster. It is also the record handed to the
 * transport (`partition`, `key`, `value`, `headers`, `timestamp`): no copy per record on the way.
 */
export interface PendingRecord extends TransportRecord {
  /** Acceptance order across the producer: queues keep it, re-queued records go back in place. */
  seq: number;
  topic: string;
  headers: Record<string, HeaderValue> | undefined;
  timestamp: string | undefined;
  /** The partition the application asked for, if any; `partition` is chosen per request. */
  requested: number | undefined;
  /** Bytes of key, value and headers: what the record holds of the buffer. */
  size: number;
  call: SendCall;
}

/** A send's records for one topic on one target cluster, in acceptance order. */
export interface StagedRecords {
  cluster: ClusterRef;
  topic: string;
  records: PendingRecord[];
}

export interface StagedSend {
  staged: StagedRecords[];
  /** Records over every target cluster (a topic with two sinks counts each record twice). */
  count: number;
  bytes: number;
}

/**
 * Checks and converts every record of `batch` into PendingRecords per target cluster of
 * `mapping`, numbered by `nextSeq`. Throws a ValidationError naming the field at the first bad
 * input; topics the mapping sends nowhere are left out.
 */
export function stageSend(batch: ProducerBatch, mapping: CompiledMapping, call: SendCall, nextSeq: () => number): StagedSend {
  const entries = batch.topicMessages;
  if (!Array.isArray(entries)) throw new ValidationError(`topicMessages: expected an array, got ${JSON.stringify(entries)}`, { field: 'topicMessages' });
  const staged: StagedRecords[] = [];
  let count = 0;
  let bytes = 0;
  for (let t = 0; t < entries.length; t++) {
    const { topic, messages } = entries[t]!;
    if (typeof topic !== 'string' || topic.length === 0) throw new ValidationError(`topicMessages[${t}].topic: expected a topic name, got ${JSON.stringify(topic)}`, { field: 'topic' });
    if (!Array.isArray(messages) || messages.length === 0) throw new ValidationError(`${topic}: messages must be a non-empty array`, { field: 'messages' });
    const targets = mapping.producerTargets(topic);
    if (targets.length === 0) continue;
    const first: PendingRecord[] = new Array<PendingRecord>(messages.length);
    let topicBytes = 0;
    for (let i = 0; i < messages.length; i++) {
      const pending = pendingOf(messages[i]!, i, topic, call, nextSeq());
      first[i] = pending;
      topicBytes += pending.size;
    }
    count += messages.length * targets.length;
    bytes += topicBytes * targets.length;
    staged.push({ cluster: targets[0]!, topic, records: first });
    // Further sink clusters get their own copy of each record, numbered right after it.
    for (let c = 1; c < targets.length; c++) {
      staged.push({ cluster: targets[c]!, topic, records: first.map((p) => ({ ...p, seq: nextSeq() })) });
    }
  }
  return { staged, count, bytes };
}

/**
 * Checks `messages[i]` and makes its PendingRecord. The path an error names is built only on
 * failure: this runs once per record.
 */
export function pendingOf(message: Message, i: number, topic: string, call: SendCall, seq: number): PendingRecord {
  if (typeof message !== 'object' || message === null) throw new ValidationError(`messages[${i}]: expected a message object, got ${JSON.stringify(message)}`, { field: `messages[${i}]` });
  const key = toBuffer(message.key, i, 'key');
  const value = toBuffer(message.value, i, 'value');
  const requested = message.partition;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 0)) {
    throw new ValidationError(`messages[${i}].partition: expected a non-negative integer, got ${JSON.stringify(requested)}`, { field: `messages[${i}].partition` });
  }
  let headers: Record<string, HeaderValue> | undefined;
  let size = (key === null ? 0 : key.length) + (value === null ? 0 : value.length);
  if (message.headers !== undefined && message.headers !== null) {
    headers = message.headers;
    for (const [name, header] of Object.entries(headers)) {
      if (!isHeaderValue(header)) throw new ValidationError(`messages[${i}].headers.${name}: expected Buffer, string or an array of them`, { field: `messages[${i}].headers` });
    }
    size += headersSize(headers);
  }
  return { seq, topic, partition: -1, key, value, headers, timestamp: message.timestamp, requested, size, call };
}

/** A message's key or value as bytes; `i` and `part` name it in the error. */
function toBuffer(value: Buffer | string | null | undefined, i: number, part: 'key' | 'value'): Buffer | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  const field = `messages[${i}].${part}`;
  throw new ValidationError(`${field}: expected Buffer, string or null, got ${typeof value}`, { field });
}

function isHeaderValue(header: unknown): header is HeaderValue {
  const one = (value: unknown): boolean => typeof value === 'string' || Buffer.isBuffer(value);
  return one(header) || (Array.isArray(header) && header.every(one));
}

function headersSize(headers: Record<string, HeaderValue>): number {
  let size = 0;
  for (const [name, header] of Object.entries(headers)) {
    if (!Array.isArray(header)) size += name.length + header.length;
    else for (const value of header) size += name.length + value.length;
  }
  return size;
}
