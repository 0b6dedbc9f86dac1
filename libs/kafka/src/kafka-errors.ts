// Kafka client errors become FlotillaErrors at this boundary, so callers decide on retries
// by `retryable` and show users a message that says what was wrong, not a protocol name.
import { FlotillaError, UnavailableError, ValidationError } from '@flotilla/errors';

const INPUT_ERRORS: Record<string, string> = {
  INVALID_TOPIC_EXCEPTION: 'invalid topic name',
  INVALID_PARTITIONS: 'invalid partition count',
  INVALID_REPLICATION_FACTOR: 'invalid replication factor',
  INVALID_CONFIG: 'invalid topic config',
  UNKNOWN_TOPIC_OR_PARTITION: 'unknown topic',
  TOPIC_AUTHORIZATION_FAILED: 'not authorized for the topic',
};

interface KafkaLikeError {
  type?: string;
  message?: string;
  /** kafkajs reports per-topic failures of a batch request in an aggregate error. */
  errors?: KafkaLikeError[];
}

export function toFlotillaError(thrown: unknown, context: string): FlotillaError {
  if (thrown instanceof FlotillaError) return thrown;
  const outer = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as KafkaLikeError;
  const error = outer.errors?.[0] ?? outer;
  const detail = error.message ?? outer.message ?? String(thrown);
  const input = error.type === undefined ? undefined : INPUT_ERRORS[error.type];
  if (input !== undefined) return new ValidationError(`${context}: ${input} (${detail})`, { cause: thrown });
  // Connection failures, timeouts and exhausted retries: the cluster may come back.
  return new UnavailableError(`${context}: ${detail}`, { cause: thrown });
}
