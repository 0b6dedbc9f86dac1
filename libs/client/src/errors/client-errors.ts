// The errors the smart client throws on purpose, on the shared FlotillaError base so every edge
// translates them by `code` and `retryable` alone.
import { FlotillaError, ValidationError } from '@flotilla/errors';
import {
  exceededLimit,
  exceedsCapacity,
  type BufferLimitKind,
  type BufferOverflow,
  type BufferUsage,
} from '../buffer/buffer-overflow';

// A topic the mapping cannot place is the mapping's error: re-exported, not wrapped, so there is
// one class to catch whichever layer noticed.
export { UnknownTopicError } from '@flotilla/mapping';

/**
 * send() found the buffer full and accepted none of the records ("fail but never block").
 * Retryable: the buffer drains by itself when the cluster acknowledges or comes back; not
 * retryable when the records could not fit even in an empty buffer.
 */
export class BufferFullError extends FlotillaError {
  readonly limit: BufferLimitKind;
  readonly usage: BufferUsage;
  readonly limits: { readonly maxRecords: number; readonly maxBytes: number };
  readonly adding: BufferUsage;

  constructor(overflow: BufferOverflow, options: { readonly cause?: unknown } = {}) {
    const limit = exceededLimit(overflow);
    const neverFits = exceedsCapacity(overflow);
    super('BUFFER_FULL', bufferFullMessage(overflow, limit, neverFits), { ...options, retryable: !neverFits });
    this.limit = limit;
    this.usage = { records: overflow.records, bytes: overflow.bytes };
    this.limits = { maxRecords: overflow.maxRecords, maxBytes: overflow.maxBytes };
    this.adding = { records: overflow.adding.records, bytes: overflow.adding.bytes };
  }
}

function bufferFullMessage(overflow: BufferOverflow, limit: BufferLimitKind, neverFits: boolean): string {
  const [used, max, adding, unit] =
    limit === 'maxRecords'
      ? [overflow.records, overflow.maxRecords, overflow.adding.records, 'records']
      : [overflow.bytes, overflow.maxBytes, overflow.adding.bytes, 'bytes'];
  if (neverFits) {
    return `producer buffer cannot hold ${adding} ${unit} at once (limit ${limit} = ${max}); records were not accepted`;
  }
  // "9990/10000" alone would not read as full: say what did not fit.
  const requested = used < max ? `, ${adding} more requested` : '';
  return `producer buffer full: ${used}/${max} ${unit} (limit ${limit})${requested}; records were not accepted`;
}

/**
 * A record that was accepted and then evicted by the drop-oldest policy to make room for newer
 * ones; its send() promise rejects with this. Retryable: sending it again may well fit.
 */
export class RecordDroppedError extends FlotillaError {
  readonly topic: string;

  constructor(topic: string, reason = 'the producer buffer was full (policy drop-oldest)', options: { readonly cause?: unknown } = {}) {
    super('BUFFER_FULL', `record for topic "${topic}" was dropped before delivery: ${reason}`, { ...options, retryable: true });
    this.topic = topic;
  }
}

/** A record the caller built wrongly: `messages[3].value: expected Buffer, string or null, got number`. */
export class InvalidRecordError extends ValidationError {
  constructor(field: string, expected: string, actual: unknown) {
    super(`${field}: expected ${expected}, got ${kindOf(actual)}`, { field });
  }
}

/** The kind of a value, as a reader would name it; never the value itself, which may be large or secret. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    const ctor = typeof proto === 'object' && proto !== null && 'constructor' in proto ? proto.constructor : undefined;
    const name = typeof ctor === 'function' ? ctor.name : '';
    return name !== '' && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return typeof value;
}
