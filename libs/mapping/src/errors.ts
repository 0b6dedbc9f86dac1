// Mapping's own errors. They carry `code` and `retryable` in the shape the shared Flotilla error
// base will use, so edges can convert them without knowing this library's classes.
import type { MappingSide } from './mapping-document';

export interface MappingIssue {
  /** Where in the document, e.g. `producers["t1, t2"].where[0].sink`. */
  readonly path: string;
  /** The value found and what was expected, e.g. `unknown cluster "fronting-9"`. */
  readonly message: string;
}

export function formatIssue(issue: MappingIssue): string {
  return `${issue.path}: ${issue.message}`;
}

/** A document that is not a valid mapping; `issues` lists every problem found, not the first. */
export class MappingValidationError extends Error {
  override readonly name = 'MappingValidationError';
  readonly code = 'MAPPING_INVALID';
  // Feeding the same document again fails the same way.
  readonly retryable = false;
  readonly issues: readonly MappingIssue[];

  constructor(issues: readonly MappingIssue[]) {
    super(`invalid mapping: ${issues.map(formatIssue).join('; ')}`);
    this.issues = Object.freeze([...issues]);
  }
}

/** A topic with no explicit entry on a side whose mapping has no `__default__` either. */
export class UnknownTopicError extends Error {
  override readonly name = 'UnknownTopicError';
  readonly code = 'UNKNOWN_TOPIC';
  // Only a new mapping version can resolve the topic; retrying the lookup cannot.
  readonly retryable = false;
  /** The same under KafkaJS's spelling, as every FlotillaError has it. */
  readonly retriable = false;
  readonly topic: string;
  readonly side: MappingSide;
  readonly version: number;

  constructor(topic: string, side: MappingSide, version: number) {
    super(`topic "${topic}" has no ${side} mapping in version ${version} and there is no __default__`);
    this.topic = topic;
    this.side = side;
    this.version = version;
  }
}
