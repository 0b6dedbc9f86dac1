// librdkafka errors become FlotillaErrors at this boundary, like kafkajs errors in kafka-errors.ts.
// Errors thrown by calls carry a numeric code; node-rdkafka's delivery reports do not (they are
// rebuilt from librdkafka's error text, with code -1), so those are recognised by that text.
import RdKafka from 'node-rdkafka';
import { FlotillaError, ForbiddenError, UnavailableError, ValidationError } from '@flotilla/errors';

const codes = RdKafka.CODES.ERRORS;

type Kind = 'input' | 'denied' | 'timeout';

interface Known {
  kind: Kind;
  /** What went wrong, for people. */
  reason: string;
  /** librdkafka's rd_kafka_err2str() text for the code, lower-cased after its "Local: "/"Broker: " origin. */
  text: string;
}

const KNOWN = new Map<number, Known>([
  [codes.ERR__UNKNOWN_TOPIC, { kind: 'input', reason: 'unknown topic', text: 'unknown topic' }],
  [codes.ERR_UNKNOWN_TOPIC_OR_PART, { kind: 'input', reason: 'unknown topic', text: 'unknown topic or partition' }],
  [codes.ERR__UNKNOWN_PARTITION, { kind: 'input', reason: 'unknown partition', text: 'unknown partition' }],
  [codes.ERR_MSG_SIZE_TOO_LARGE, { kind: 'input', reason: 'record larger than the topic accepts', text: 'message size too large' }],
  [codes.ERR_RECORD_LIST_TOO_LARGE, { kind: 'input', reason: 'batch larger than the topic accepts', text: 'message batch larger than configured server segment size' }],
  [codes.ERR_INVALID_RECORD, { kind: 'input', reason: 'record rejected by the broker', text: 'broker failed to validate record' }],
  [codes.ERR__INVALID_ARG, { kind: 'input', reason: 'invalid argument', text: 'invalid argument or configuration' }],
  [codes.ERR_TOPIC_AUTHORIZATION_FAILED, { kind: 'denied', reason: 'not authorized for the topic', text: 'topic authorization failed' }],
  [codes.ERR_GROUP_AUTHORIZATION_FAILED, { kind: 'denied', reason: 'not authorized for the consumer group', text: 'group authorization failed' }],
  [codes.ERR_CLUSTER_AUTHORIZATION_FAILED, { kind: 'denied', reason: 'not authorized for the cluster', text: 'cluster authorization failed' }],
  [codes.ERR__MSG_TIMED_OUT, { kind: 'timeout', reason: 'not acknowledged in time', text: 'message timed out' }],
  [codes.ERR__TIMED_OUT, { kind: 'timeout', reason: 'timed out', text: 'timed out' }],
]);

const BY_TEXT = new Map([...KNOWN].map(([code, known]) => [known.text, code]));

/** The librdkafka error code of anything node-rdkafka throws or reports, if it has one. */
export function rdkafkaErrorCode(thrown: unknown): number | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { code, message } = thrown as { code?: unknown; message?: unknown };
  if (typeof code === 'number' && code !== -1) return code;
  if (typeof message !== 'string') return undefined;
  const text = message.toLowerCase();
  return BY_TEXT.get(text.slice(text.indexOf(': ') + 1).trim());
}

export function rdkafkaError(thrown: unknown, context: string): FlotillaError {
  if (thrown instanceof FlotillaError) return thrown;
  const code = rdkafkaErrorCode(thrown);
  const known = code === undefined ? undefined : KNOWN.get(code);
  const detail = thrown instanceof Error || (typeof thrown === 'object' && thrown !== null && 'message' in thrown) ? String((thrown as { message: unknown }).message) : String(thrown);
  if (known?.kind === 'input') return new ValidationError(`${context}: ${known.reason} (${detail})`, { cause: thrown });
  if (known?.kind === 'denied') return new ForbiddenError(`${context}: ${known.reason} (${detail})`, { cause: thrown });
  if (known?.kind === 'timeout') return new UnavailableError(`${context}: ${known.reason} (${detail})`, { cause: thrown });
  // Transport failures, brokers down, full local queues: the cluster or the queue may recover.
  return new UnavailableError(`${context}: ${detail}`, { cause: thrown });
}
