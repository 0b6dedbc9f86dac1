// Topics as resources: `/topics/<name>`. Kafka's own name rules apply, so a resource exists for
// every topic a broker would accept and for nothing else.
import { ValidationError } from '@flotilla/errors';
import { topicNameProblem } from '@flotilla/mapping';

export const TOPICS_PREFIX = '/topics/';

/** `/topics/orders` for `orders`; throws a ValidationError (field `topic`) for an illegal name. */
export function resourceForTopic(topic: string): string {
  const problem = topicNameProblem(topic);
  if (problem !== undefined) throw new ValidationError(`topic: ${problem}`, { field: 'topic' });
  return `${TOPICS_PREFIX}${topic}`;
}

/** The topic a resource names, or undefined when it is not a single topic's resource. */
export function topicOfResource(resource: string): string | undefined {
  if (!resource.startsWith(TOPICS_PREFIX)) return undefined;
  const topic = resource.slice(TOPICS_PREFIX.length);
  return topicNameProblem(topic) === undefined ? topic : undefined;
}
