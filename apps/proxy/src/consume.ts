// Consuming over HTTP for a consumer group, as REST proxies do, at least once: a long-poll fetch
// of records and an explicit commit of offsets. Checked in the order a client can act on: identity
// (401, before this), names (400), policy `GET /topics/{topic}` (403), query and body (400), topic
// known (404), quota (429). The group is the application's own: Kafka knows it as
// `<application>.<group>`, so no application reads or moves another's offsets.
import type { ConsumerMessage } from '@flotilla/client';
import { resourceForTopic } from '@flotilla/auth';
import { parseInput } from '@flotilla/errors';
import type { CompiledMapping } from '@flotilla/mapping';
import { isValidTopicName, topicNameProblem } from '@flotilla/mapping';
import type { ConsumeSession, SessionKey } from './consume-session';
import type { ConsumeSessions } from './consume-sessions';
import { commitQuerySchema, commitRequestSchema, fetchQuerySchema, groupNameSchema, type FetchedRecord } from './consume-schema';
import type { Handed } from './handout-queue';
import { HttpError } from './http-error';

export interface ConsumeDeps {
  readonly sessions: ConsumeSessions<ConsumeSession>;
  readonly mapping: () => CompiledMapping | undefined;
}

export interface ConsumeCall {
  readonly application: string;
  readonly group: string;
  readonly topic: string;
  readonly query: unknown;
  readonly authorize: (application: string, resource: string) => { allowed: boolean; reason: string };
  readonly admit: (application: string, bytes: number) => { allowed: true } | { allowed: false; retryAfterMs: number; limit: string };
}

export type Encoding = 'text' | 'base64';

/** The checks every consume request passes, then its query parsed with `schema`. */
export function checkConsume<Query>(deps: ConsumeDeps, call: ConsumeCall, parseQuery: (query: unknown) => Query): Query {
  const { application, topic, group } = call;
  if (!isValidTopicName(topic)) throw new HttpError(400, 'VALIDATION', `invalid topic name: ${topicNameProblem(topic)}`, { field: 'topic' });
  parseInput(groupNameSchema, group, 'group name', 'group');
  const resource = resourceForTopic(topic);
  const decision = call.authorize(application, resource);
  if (!decision.allowed) throw new HttpError(403, 'FORBIDDEN', `application "${application}" may not GET ${resource}: ${decision.reason}`);
  const query = parseQuery(call.query ?? {});
  const mapping = deps.mapping();
  if (!mapping) throw new HttpError(503, 'UNAVAILABLE', 'the proxy has no mapping yet', { retryAfterSeconds: 1 });
  if (mapping.resolve('consumer', topic) === undefined) {
    throw new HttpError(404, 'NOT_FOUND', `topic "${topic}" is not in the mapping (version ${mapping.version}); create it with \`flotilla topics create ${topic}\``, { field: 'topic' });
  }
  const admitted = call.admit(application, 0);
  if (!admitted.allowed) {
    throw new HttpError(429, 'QUOTA_EXCEEDED', `application "${application}" is over its ${admitted.limit} quota; retry after ${admitted.retryAfterMs} ms`, {
      retryAfterSeconds: Math.max(1, Math.ceil(admitted.retryAfterMs / 1000)),
    });
  }
  return query;
}

export interface FetchAnswer {
  topic: string;
  group: string;
  consumer: string;
  encoding: Encoding;
  records: FetchedRecord[];
  assignment: { cluster: string; partitions: number[] }[];
}

/** GET /v1/groups/{group}/topics/{topic}/records: up to `max` records as soon as there are any, or none after `timeoutMs`. */
export async function fetchRecords(deps: ConsumeDeps, call: ConsumeCall, signal: AbortSignal): Promise<FetchAnswer> {
  const query = checkConsume(deps, call, (raw) => parseInput(fetchQuerySchema, raw, 'query'));
  const key: SessionKey = { application: call.application, group: call.group, topic: call.topic, consumer: query.consumer };
  const session = await deps.sessions.acquire(key);
  const handed = await session.fetch(query.max, query.timeoutMs, signal);
  return {
    topic: call.topic,
    group: call.group,
    consumer: query.consumer,
    encoding: query.encoding,
    records: handed.map((record) => toFetchedRecord(record, query.encoding)),
    assignment: session.assignment(),
  };
}

export interface CommitAnswer {
  topic: string;
  group: string;
  consumer: string;
  committed: { cluster: string; partition: number; offset: string }[];
}

/**
 * POST /v1/groups/{group}/topics/{topic}/offsets: commits the offsets given (the next ones to read),
 * or without them everything the consumer instance was given so far.
 */
export async function commitOffsets(deps: ConsumeDeps, call: ConsumeCall & { readonly body: unknown }): Promise<CommitAnswer> {
  const query = checkConsume(deps, call, (raw) => parseInput(commitQuerySchema, raw, 'query'));
  const body = call.body === undefined || call.body === null ? {} : parseInput(commitRequestSchema, call.body, 'commit request');
  const key: SessionKey = { application: call.application, group: call.group, topic: call.topic, consumer: query.consumer };
  const session = deps.sessions.find(key);
  if (!session || session.closed) {
    throw new HttpError(
      404,
      'NOT_FOUND',
      `consumer "${query.consumer}" of group "${call.group}" on topic "${call.topic}" is not open here (it ended after being idle, or the proxy restarted): what it was given and did not commit goes to the group again; fetch to open it`,
      { field: 'consumer' },
    );
  }
  const committed = await session.commit(body.offsets);
  return { topic: call.topic, group: call.group, consumer: query.consumer, committed };
}

export function toFetchedRecord({ cluster, partition, message }: Handed<ConsumerMessage>, encoding: Encoding): FetchedRecord {
  const text = (bytes: Buffer | null): string | null => (bytes === null ? null : bytes.toString(encoding === 'base64' ? 'base64' : 'utf8'));
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map((one) => text(one) ?? '') : (text(value) ?? '');
  }
  return { cluster, partition, offset: message.offset, key: text(message.key), value: text(message.value), headers, timestamp: Number(message.timestamp) };
}
