// The produce request and answer, as zod schemas: the one definition the handler validates with
// and the OpenAPI document is generated from.
import { z } from 'zod';

/** At most this many records per request; more is a 400 naming `records`. */
export const MAX_RECORDS_PER_REQUEST = 10_000;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const produceRecordSchema = z.strictObject({
  /** The record key: text (UTF-8) or, with `keyEncoding: "base64"`, base64 bytes. */
  key: z.string().max(1_000_000).nullable().optional(),
  /** The value: any JSON (stored as its JSON text), or a string under `valueEncoding` text or base64; null is a tombstone. */
  value: z.unknown(),
  /** Header name → text value. */
  headers: z.record(z.string().min(1).max(1_000), z.string().max(1_000_000)).optional(),
  /** An explicit partition; otherwise murmur2 of the key (as the Java client), or a sticky partition. */
  partition: z.int().min(0).optional(),
});

export const produceRequestSchema = z.strictObject({
  keyEncoding: z.enum(['text', 'base64']).default('text'),
  valueEncoding: z.enum(['json', 'text', 'base64']).default('json'),
  records: z.array(produceRecordSchema).min(1).max(MAX_RECORDS_PER_REQUEST),
});
export type ProduceRequest = z.output<typeof produceRequestSchema>;

export const produceQuerySchema = z.strictObject({
  /** sync (default): answered once Kafka acknowledged every record (acks=all); async: once buffered (202). */
  ack: z.enum(['sync', 'async']).default('sync'),
});

export const recordResultSchema = z.object({
  /** Where the record was written; a topic written to two clusters has two. */
  written: z.array(z.object({ cluster: z.string(), partition: z.int(), offset: z.string() })),
});

export const produceResponseSchema = z.object({
  topic: z.string(),
  results: z.array(recordResultSchema),
});

export const acceptedResponseSchema = z.object({ topic: z.string(), accepted: z.int() });

export const errorResponseSchema = z.object({
  error: z.object({ status: z.int(), code: z.string(), message: z.string(), field: z.string().optional() }),
});

/** Bytes of a base64 text, or a ValidationError naming `field`. */
export function decodeBase64(text: string, field: string): Buffer | { problem: string; field: string } {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return { problem: `${field}: expected base64 (RFC 4648, padded), got ${text.length} characters that are not`, field };
  return Buffer.from(text, 'base64');
}
