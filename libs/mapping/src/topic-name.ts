// Kafka's own topic-name rules, checked here so a mapping can never route to a topic that the
// brokers would refuse to create; plus the one name a JSON document cannot carry as a key.
import { DEFAULT_TOPIC_KEY } from './mapping-document';

export const MAX_TOPIC_NAME_LENGTH = 249;

const LEGAL_TOPIC_CHARACTERS = /^[a-zA-Z0-9._-]+$/;
const RESERVED_TOPIC_NAME = '__proto__';

/** Why `name` is not a legal Kafka topic name, or undefined when it is. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty topic name';
  if (name === '.' || name === '..') {
    return `invalid topic name ${JSON.stringify(name)}, expected a name other than "." and ".."`;
  }
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `invalid topic name of ${name.length} characters, expected at most ${MAX_TOPIC_NAME_LENGTH}`;
  }
  if (!LEGAL_TOPIC_CHARACTERS.test(name)) {
    return `invalid topic name ${JSON.stringify(name)}, expected only the characters a-z A-Z 0-9 . _ -`;
  }
  // Legal for Kafka, but as a document key it sets an object's prototype instead of adding an
  // entry, so such a topic could be listed but never written back out or read in again.
  if (name === RESERVED_TOPIC_NAME) {
    return `invalid topic name "${RESERVED_TOPIC_NAME}", expected a name other than "${RESERVED_TOPIC_NAME}", which JavaScript objects reserve`;
  }
  return undefined;
}

export function isValidTopicName(name: string): boolean {
  return topicNameProblem(name) === undefined;
}

/**
 * The topics a mapping key lists: `"t1, t2"` → `["t1", "t2"]`. Parts are trimmed but not
 * validated, so the caller can report an empty or illegal part with its position.
 */
export function splitTopicKey(key: string): string[] {
  return key.split(',').map((part) => part.trim());
}

export function isDefaultKey(key: string): boolean {
  return key === DEFAULT_TOPIC_KEY;
}
