// The consume endpoints' queries, bodies and answers, as zod schemas: the one definition the
// handlers validate with and the OpenAPI document is generated from.
import { z } from 'zod';

/** Records one fetch answers at most; more is a 400 naming `max`. */
export const MAX_FETCH_RECORDS = 10_000;
/** The longest a fetch waits for a first record. */
export const MAX_FETCH_WAIT_MS = 30_000;

/** A group or consumer id: what Kafka takes in a group id, without the characters that need escaping. */
const NAME = /^[a-zA-Z0-9._-]{1,200}$/;
export const groupNameSchema = z.string().regex(NAME, 'expected 1 to 200 of a-z A-Z 0-9 . _ -');

const consumerQuery = {
  /** The consumer instance of the group this request is: one per HTTP client, chosen by it. */
  consumer: z.string().regex(NAME, 'expected a consumer id of 1 to 200 of a-z A-Z 0-9 . _ -'),
  /** How keys, values and header values are written: UTF-8 text, or base64 of the bytes. */
  encoding: z.enum(['text', 'base64']).default('text'),
};

export const fetchQuerySchema = z.strictObject({
  ...consumerQuery,
  max: z.coerce.number().int().min(1).max(MAX_FETCH_RECORDS).default(100),
  timeoutMs: z.coerce.number().int().min(0).max(MAX_FETCH_WAIT_MS).default(1_000),
});

export const streamQuerySchema = z.strictObject(consumerQuery);

export const commitQuerySchema = z.strictObject({ consumer: consumerQuery.consumer });

export const partitionOffsetSchema = z.strictObject({
  cluster: z.string().min(1).max(249),
  partition: z.int().min(0),
  /** The next offset to read, as Kafka commits it: one past the last record handled. */
  offset: z.union([z.string().regex(/^\d{1,19}$/, 'expected a decimal offset'), z.int().min(0)]).transform(String),
});

/** Without `offsets` (or without a body): commit everything the consumer was given so far. */
export const commitRequestSchema = z.strictObject({ offsets: z.array(partitionOffsetSchema).min(1).max(100_000).optional() });

export const fetchedRecordSchema = z.object({
  cluster: z.string(),
  partition: z.int(),
  offset: z.string(),
  key: z.string().nullable(),
  value: z.string().nullable(),
  /** A header sent more than once in the record has its values in an array. */
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  /** Milliseconds since the epoch, as Kafka stored it. */
  timestamp: z.int(),
});

export const fetchResponseSchema = z.object({
  topic: z.string(),
  group: z.string(),
  consumer: z.string(),
  /** How key, value and header values are written. */
  encoding: z.enum(['text', 'base64']),
  records: z.array(fetchedRecordSchema),
  /** The partitions the group assigns this consumer now, per cluster. */
  assignment: z.array(z.object({ cluster: z.string(), partitions: z.array(z.int()) })),
});

export const commitResponseSchema = z.object({
  topic: z.string(),
  group: z.string(),
  consumer: z.string(),
  committed: z.array(z.object({ cluster: z.string(), partition: z.int(), offset: z.string() })),
});

export type FetchQuery = z.output<typeof fetchQuerySchema>;
export type FetchedRecord = z.output<typeof fetchedRecordSchema>;
export type PartitionOffset = z.output<typeof partitionOffsetSchema>;
