// Kafka client errors become FlotillaErrors at this boundary, so callers decide on retries
// by `retryable` and show users a message that says what was wrong, not a protocol name.
import { FlotillaError, ForbiddenError, UnavailableError, ValidationError } from '@flotilla/errors';

const INPUT_ERRORS: Record<string, string> = {
  INVALID_TOPIC_EXCEPTION: 'invalid topic name',
  INVALID_PARTITIONS: 'invalid partition count',
  INVALID_REPLICATION_FACTOR: 'invalid replication factor',
  INVALID_CONFIG: 'invalid topic config',
  UNKNOWN_TOPIC_OR_PARTITION: 'unknown topic',
  MESSAGE_TOO_LARGE: 'record larger than the topic accepts',
  RECORD_LIST_TOO_LARGE: 'batch larger than the topic accepts',
  INVALID_RECORD: 'record rejected by the broker',
  UNACCEPTABLE_CREDENTIAL: 'credential not acceptable (Kafka takes a non-empty user and 4096 to 16384 iterations)',
  INVALID_REQUEST: 'request the broker finds invalid',
};

const DENIED_ERRORS: Record<string, string> = {
  TOPIC_AUTHORIZATION_FAILED: 'not authorized for the topic',
  GROUP_AUTHORIZATION_FAILED: 'not authorized for the consumer group',
  CLUSTER_AUTHORIZATION_FAILED: 'not authorized for the cluster',
};

interface KafkaLikeError {
  type?: string;
  message?: string;
  /** kafkajs reports per-topic failures of a batch request in an aggregate error. */
  errors?: KafkaLikeError[];
  /** kafkajs wraps the last failure of exhausted retries (KafkaJSNumberOfRetriesExceeded). */
  cause?: unknown;
}

function asKafkaLike(thrown: unknown): KafkaLikeError | undefined {
  return typeof thrown === 'object' && thrown !== null ? (thrown as KafkaLikeError) : undefined;
}

/** The innermost error that names a Kafka protocol error, looking through aggregates and retries. */
function protocolError(thrown: unknown): KafkaLikeError | undefined {
  for (let error = asKafkaLike(thrown), depth = 0; error && depth < 8; depth++) {
    if (error.type !== undefined) return error;
    error = asKafkaLike(error.errors?.[0]) ?? asKafkaLike(error.cause);
  }
  return undefined;
}

/** The Kafka protocol error name (`UNKNOWN_TOPIC_OR_PARTITION`) carried by a kafkajs error, if any. */
export function kafkaErrorType(thrown: unknown): string | undefined {
  return protocolError(thrown)?.type;
}

export function toFlotillaError(thrown: unknown, context: string): FlotillaError {
  if (thrown instanceof FlotillaError) return thrown;
  const outer = asKafkaLike(thrown) ?? {};
  const error = protocolError(thrown) ?? outer;
  const detail = error.message ?? outer.message ?? String(thrown);
  const input = error.type === undefined ? undefined : INPUT_ERRORS[error.type];
  if (input !== undefined) return new ValidationError(`${context}: ${input} (${detail})`, { cause: thrown });
  const denied = error.type === undefined ? undefined : DENIED_ERRORS[error.type];
  if (denied !== undefined) return new ForbiddenError(`${context}: ${denied} (${detail})`, { cause: thrown });
  // Connection failures, timeouts and exhausted retries: the cluster may come back.
  return new UnavailableError(`${context}: ${detail}`, { cause: thrown });
}
