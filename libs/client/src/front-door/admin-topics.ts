// KafkaJS' `createTopics` and `deleteTopics` as requests to management, which owns where topics
// live: it places a topic on its tier's cluster with the most free capacity, creates it there
// with the tier's replicas and publishes the mapping (`npx flotilla topics create`), and deletes
// it from the mapping and then from its clusters (`npx flotilla topics delete`). What KafkaJS lets
// a caller choose that the registry decides instead is refused here, before anything is created.
import { z } from 'zod';
import { FlotillaError, UnavailableError, ValidationError, parseInput, strictObject } from '@flotilla/errors';
import { callManagement, type ManagementEndpoint } from './management-call';

/** KafkaJS' ITopicConfig. */
export interface TopicConfig {
  topic: string;
  /** -1 or absent: one partition per broker of the chosen cluster. Management rounds up to a multiple of its broker count. */
  numPartitions?: number | undefined;
  /** Only -1 or absent: replicas follow the topic's tier (see the README's admin section). */
  replicationFactor?: number | undefined;
  /** Only empty: management places partitions. */
  replicaAssignment?: readonly object[] | undefined;
  /** Only `retention.ms`. */
  configEntries?: readonly { name: string; value: string }[] | undefined;
}

/** KafkaJS' createTopics options. */
export interface CreateTopicsOptions {
  topics: readonly TopicConfig[];
  /** Only false: management has no dry run. */
  validateOnly?: boolean | undefined;
  /** Accepted; createTopics always waits for leaders and for the mapping that lists the topics. */
  waitForLeaders?: boolean | undefined;
  /** How long to wait for the mapping that lists the new topics (KafkaJS: 5000 ms). */
  timeout?: number | undefined;
}

/** KafkaJS' deleteTopics options. */
export interface DeleteTopicsOptions {
  topics: readonly string[];
  /** How long to wait for the mapping without the topics (KafkaJS: 5000 ms). */
  timeout?: number | undefined;
}

/** What management's `topics.create` is asked for one topic. */
export interface CreateTopicRequest {
  readonly name: string;
  readonly partitions?: number;
  readonly retentionMs?: number;
}

const REPLICAS_FOLLOW_TIER =
  'Flotilla gives a topic its tier\'s replicas (medium 2, high 3, at most the cluster\'s brokers), so leave replicationFactor out or give -1';

const configEntry = strictObject({ name: z.string(), value: z.string() }).superRefine((entry, context) => {
  if (entry.name !== 'retention.ms') {
    context.addIssue({ code: 'custom', message: `only retention.ms is supported: management sets the other topic configs per tier, got "${entry.name}"` });
  } else if (!/^[1-9]\d*$/.test(entry.value)) {
    context.addIssue({ code: 'custom', message: `retention.ms must be a positive whole number of milliseconds, got "${entry.value}"` });
  }
});

const topicConfig = strictObject({
  topic: z.string().min(1),
  numPartitions: z.union([z.literal(-1), z.int().positive()]).optional(),
  replicationFactor: z.literal(-1, { message: REPLICAS_FOLLOW_TIER }).optional(),
  replicaAssignment: z.array(z.unknown()).max(0, { message: 'management places partitions on brokers; leave replicaAssignment out' }).optional(),
  configEntries: z.array(configEntry).optional(),
});

const createTopicsOptions = strictObject({
  topics: z.array(topicConfig).min(1),
  validateOnly: z.literal(false, { message: 'management has no dry run of a topic creation; leave validateOnly out or give false' }).optional(),
  waitForLeaders: z.boolean().optional(),
  timeout: z.int().positive().optional(),
});

const deleteTopicsOptions = strictObject({
  topics: z.array(z.string().min(1)).min(1),
  timeout: z.int().positive().optional(),
});

/** KafkaJS' default `timeout` of createTopics and deleteTopics. */
export const DEFAULT_TOPICS_TIMEOUT_MS = 5_000;

/** Checks every topic before any is created, so a refused option never leaves half the topics made. */
export function createTopicRequests(options: CreateTopicsOptions): { requests: CreateTopicRequest[]; timeoutMs: number } {
  const parsed = parseInput(createTopicsOptions, options, 'createTopics options');
  refuseRepeats(parsed.topics.map((t) => t.topic), 'createTopics');
  const requests = parsed.topics.map(({ topic, numPartitions, configEntries }) => {
    const retention = configEntries?.find((entry) => entry.name === 'retention.ms');
    return {
      name: topic,
      ...(numPartitions === undefined || numPartitions === -1 ? {} : { partitions: numPartitions }),
      ...(retention === undefined ? {} : { retentionMs: Number(retention.value) }),
    };
  });
  return { requests, timeoutMs: parsed.timeout ?? DEFAULT_TOPICS_TIMEOUT_MS };
}

export function deleteTopicNames(options: DeleteTopicsOptions): { names: string[]; timeoutMs: number } {
  const parsed = parseInput(deleteTopicsOptions, options, 'deleteTopics options');
  refuseRepeats(parsed.topics, 'deleteTopics');
  return { names: parsed.topics, timeoutMs: parsed.timeout ?? DEFAULT_TOPICS_TIMEOUT_MS };
}

// KafkaJS refuses the same topic twice in one request, with a non-retriable error.
function refuseRepeats(names: readonly string[], call: string): void {
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new ValidationError(`${call}: topic "${repeated}" is given more than once`, { field: 'topics' });
}

/**
 * Creates one topic through management. True when management created it, false when it already
 * existed (KafkaJS answers false then, whatever the existing topic's partitions or configs).
 */
export async function createTopicThroughManagement(endpoint: ManagementEndpoint, request: CreateTopicRequest): Promise<boolean> {
  try {
    const result = await callManagement(endpoint, 'topics.create', request);
    return isRecord(result) && result['created'] === true;
  } catch (error) {
    // Management answers a conflict only for a topic it already has, with other settings.
    if (error instanceof FlotillaError && error.code === 'CONFLICT') return false;
    throw error;
  }
}

/** Deletes one topic through management; rejects when a cluster kept its data. */
export async function deleteTopicThroughManagement(endpoint: ManagementEndpoint, name: string): Promise<void> {
  const result = await callManagement(endpoint, 'topics.delete', { name });
  const failed = (isRecord(result) && Array.isArray(result['kafka']) ? result['kafka'] : []).filter((k: unknown) => isRecord(k) && k['deleted'] !== true);
  if (failed.length > 0) {
    const where = failed.map((k: unknown) => (isRecord(k) ? `${String(k['cluster'])} (${String(k['error'])})` : '')).join(', ');
    throw new UnavailableError(`deleteTopics: "${name}" is no longer in the mapping, but deleting its data failed on ${where}; delete it on those clusters with Kafka's tools (management no longer lists it)`, { retryable: false });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
