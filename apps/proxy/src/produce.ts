// POST /v1/topics/{topic}/records: an application's records into the topic, through the smart
// producer (so they follow topic moves and failovers like any client's). Checked in the order a
// client can act on: identity (401), policy (403), topic name (400), body (400), topic known (404),
// quota (429); then written. `ack=sync` answers once every record is acknowledged with acks=all,
// with where each one went; `ack=async` answers 202 once the records are buffered. A full buffer
// answers 503 with Retry-After and the records not taken are not written.
import type { MultiClusterProducer, Message, RecordMetadata } from '@flotilla/client';
import { BufferFullError } from '@flotilla/client';
import { resourceForTopic } from '@flotilla/auth';
import type { CompiledMapping } from '@flotilla/mapping';
import { isValidTopicName, topicNameProblem } from '@flotilla/mapping';
import { parseInput } from '@flotilla/errors';
import type { Logger } from '@flotilla/observability';
import { HttpError, toHttpError } from './http-error';
import { decodeBase64, produceQuerySchema, produceRequestSchema, type ProduceRequest } from './produce-schema';
import type { TopicPartitionCounts } from '@flotilla/client/internal';
import type { ApplicationCounts } from './application-counts';
import type { ProxyMetrics } from './proxy-metrics';

export interface ProduceDeps {
  readonly producer: MultiClusterProducer;
  readonly mapping: () => CompiledMapping | undefined;
  readonly metrics: ProxyMetrics;
  /** For a request that names partitions: checked before any record of it is written. */
  readonly partitions: TopicPartitionCounts;
  /** Per application, for the heartbeats. */
  readonly counts: ApplicationCounts;
  readonly logger: Logger;
}

export interface ProduceCall {
  readonly application: string;
  readonly topic: string;
  readonly query: unknown;
  readonly body: unknown;
  /** The request's size in bytes, for the quota. */
  readonly bytes: number;
  readonly admit: (application: string, bytes: number) => { allowed: true } | { allowed: false; retryAfterMs: number; limit: string };
  readonly authorize: (application: string, resource: string) => { allowed: boolean; reason: string };
}

export type ProduceAnswer = { status: 200; body: { topic: string; results: { written: { cluster: string; partition: number; offset: string }[] }[] } } | { status: 202; body: { topic: string; accepted: number } };

export async function produce(deps: ProduceDeps, call: ProduceCall): Promise<ProduceAnswer> {
  const { topic, application } = call;
  if (!isValidTopicName(topic)) throw new HttpError(400, 'VALIDATION', `invalid topic name: ${topicNameProblem(topic)}`, { field: 'topic' });
  const resource = resourceForTopic(topic);
  const decision = call.authorize(application, resource);
  if (!decision.allowed) throw new HttpError(403, 'FORBIDDEN', `application "${application}" may not PUT ${resource}: ${decision.reason}`);
  const { ack } = parseInput(produceQuerySchema, call.query ?? {}, 'query');
  const request = parseInput(produceRequestSchema, call.body, 'produce request');
  const messages = toMessages(request);
  const mapping = deps.mapping();
  if (!mapping) throw new HttpError(503, 'UNAVAILABLE', 'the proxy has no mapping yet', { retryAfterSeconds: 1 });
  if (mapping.resolve('producer', topic) === undefined) {
    throw new HttpError(404, 'NOT_FOUND', `topic "${topic}" is not in the mapping (version ${mapping.version}); create it with \`flotilla topics create ${topic}\``, { field: 'topic' });
  }
  await checkPartitions(deps, topic, request, mapping);
  const admitted = call.admit(application, call.bytes);
  if (!admitted.allowed) {
    throw new HttpError(429, 'QUOTA_EXCEEDED', `application "${application}" is over its ${admitted.limit} quota; retry after ${admitted.retryAfterMs} ms`, {
      retryAfterSeconds: Math.max(1, Math.ceil(admitted.retryAfterMs / 1000)),
    });
  }
  // One send per record: each answers with where its record went; the producer's batcher still
  // puts them in shared requests.
  const sends = messages.map((message) => deps.producer.send({ topic, messages: [message] }));
  if (ack === 'async') {
    for (const sent of sends) {
      sent.catch((error: unknown) => {
        deps.metrics.asyncFailed.inc({ application });
        deps.logger.warn({ application, topic, reason: error instanceof Error ? error.message : String(error) }, 'an async record was not written');
      });
    }
    deps.metrics.records.inc({ application, ack }, messages.length);
    deps.metrics.bytes.inc({ application }, call.bytes);
    deps.counts.add(application, messages.length, call.bytes);
    return { status: 202, body: { topic, accepted: messages.length } };
  }
  const settled = await Promise.allSettled(sends);
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  const written = settled.filter((outcome) => outcome.status === 'fulfilled').length;
  deps.metrics.records.inc({ application, ack }, written);
  deps.metrics.bytes.inc({ application }, call.bytes);
  deps.counts.add(application, written, call.bytes);
  if (failed) {
    const error = toHttpError(failed.reason);
    const retryable = failed.reason instanceof BufferFullError || error.status === 503;
    throw new HttpError(error.status, error.code, `${written} of ${messages.length} records were written; the others were not: ${error.message}`, {
      ...(error.options.field === undefined ? {} : { field: error.options.field }),
      ...(retryable ? { retryAfterSeconds: 1 } : {}),
    });
  }
  return {
    status: 200,
    body: { topic, results: settled.map((outcome) => ({ written: (outcome as PromiseFulfilledResult<RecordMetadata[]>).value.map(toWritten) })) },
  };
}

/** A requested partition the topic does not have is a 400 before anything is written: a request is taken whole or not at all. */
async function checkPartitions(deps: ProduceDeps, topic: string, request: ProduceRequest, mapping: CompiledMapping): Promise<void> {
  if (!request.records.some((record) => record.partition !== undefined)) return;
  const count = await deps.partitions.count(topic, mapping);
  const index = request.records.findIndex((record) => record.partition !== undefined && record.partition >= count);
  if (index < 0) return;
  const field = `records.${index}.partition`;
  throw new HttpError(400, 'VALIDATION', `${field}: topic "${topic}" has ${count} partition(s), numbered from 0; got ${String(request.records[index]!.partition)}`, { field });
}

function toWritten(metadata: RecordMetadata): { cluster: string; partition: number; offset: string } {
  return { cluster: (metadata as RecordMetadata & { cluster?: string }).cluster ?? '', partition: metadata.partition, offset: metadata.baseOffset };
}

function toMessages(request: ProduceRequest): Message[] {
  return request.records.map((record, i) => {
    const key = record.key === undefined || record.key === null ? null : request.keyEncoding === 'base64' ? bytes(record.key, `records.${i}.key`) : record.key;
    return {
      key,
      value: valueOf(request.valueEncoding, record.value, `records.${i}.value`),
      ...(record.headers === undefined ? {} : { headers: record.headers }),
      ...(record.partition === undefined ? {} : { partition: record.partition }),
    };
  });
}

function valueOf(encoding: ProduceRequest['valueEncoding'], value: unknown, field: string): Buffer | string | null {
  if (value === undefined) throw new HttpError(400, 'VALIDATION', `${field}: missing; give a value (null for a tombstone)`, { field });
  if (value === null) return null;
  if (encoding === 'json') return JSON.stringify(value);
  if (typeof value !== 'string') throw new HttpError(400, 'VALIDATION', `${field}: expected a string under valueEncoding "${encoding}", got ${typeof value}`, { field });
  return encoding === 'base64' ? bytes(value, field) : value;
}

function bytes(text: string, field: string): Buffer {
  const decoded = decodeBase64(text, field);
  if (Buffer.isBuffer(decoded)) return decoded;
  throw new HttpError(400, 'VALIDATION', decoded.problem, { field });
}
