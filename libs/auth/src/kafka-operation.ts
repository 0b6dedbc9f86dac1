// Kafka operations in the engine's vocabulary (ARCHITECTURE.md §6): produce = PUT, consume = GET,
// topic administration = POST (create, alter) or DELETE. The proxy and the ACL synchroniser both
// go through here, so a policy means the same thing at every enforcement point.
import { ValidationError, showValue } from '@flotilla/errors';
import type { AccessRequest } from './access-request';
import { resourceForTopic } from './topic-resource';
import type { Verb } from './verb';

export const KAFKA_OPERATIONS = ['produce', 'consume', 'create', 'alter', 'delete'] as const;
export type KafkaOperation = (typeof KAFKA_OPERATIONS)[number];

const VERB_BY_OPERATION: Readonly<Record<KafkaOperation, Verb>> = {
  produce: 'PUT',
  consume: 'GET',
  create: 'POST',
  alter: 'POST',
  delete: 'DELETE',
};

export function verbFor(operation: KafkaOperation): Verb {
  const verb = Object.hasOwn(VERB_BY_OPERATION, operation) ? VERB_BY_OPERATION[operation] : undefined;
  if (verb === undefined) {
    throw new ValidationError(
      `operation: unknown Kafka operation ${showValue(operation)}, expected one of ${KAFKA_OPERATIONS.join(', ')}`,
      { field: 'operation' },
    );
  }
  return verb;
}

/** The request to authorize for `application` doing `operation` on `topic`. */
export function topicAccess(application: string, operation: KafkaOperation, topic: string): AccessRequest {
  return { application, verb: verbFor(operation), resource: resourceForTopic(topic) };
}
