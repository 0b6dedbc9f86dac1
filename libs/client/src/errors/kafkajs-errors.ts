// KafkaJS' error classes under their names, for code written against KafkaJS. The client throws
// FlotillaErrors (and the mapping's UnknownTopicError), each with `retriable`; a KafkaJS class here
// answers `instanceof` by meaning, not by ancestry: every error the client throws is a
// KafkaJSError, and the ones with `retriable: false` are KafkaJSNonRetriableErrors, as in KafkaJS.
// An error whose meaning is exactly one KafkaJS class's is made as that class and carries its
// `name` (the consumer's crash after its retries is a KafkaJSNumberOfRetriesExceeded). KafkaJS
// classes with no such meaning here (KafkaJSProtocolError and the broker-level ones) are not
// offered: the migration table in the README says what to test instead.
import { FlotillaError } from '@flotilla/errors';
import { UnknownTopicError } from '@flotilla/mapping';

/** What every error the client throws on purpose has, as KafkaJSError has it. */
export interface KafkaJSErrorShape extends Error {
  readonly retriable: boolean;
}

function isClientError(value: unknown): value is KafkaJSErrorShape {
  return value instanceof FlotillaError || value instanceof UnknownTopicError;
}

const isOwnInstance = (klass: abstract new (...args: never[]) => unknown, value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.prototype.isPrototypeOf.call(klass.prototype, value);

/**
 * KafkaJS' base class: `instanceof KafkaJSError` holds for every error the client throws on purpose.
 * Made directly (`new KafkaJSError(message, { retriable })`, as in KafkaJS) it is a FlotillaError
 * with code UNAVAILABLE when retriable, INTERNAL otherwise.
 */
export class KafkaJSError extends FlotillaError {
  constructor(e: Error | string, options: { readonly retriable?: boolean; readonly cause?: unknown } = {}) {
    const retriable = options.retriable ?? true;
    super(retriable ? 'UNAVAILABLE' : 'INTERNAL', typeof e === 'string' ? e : e.message, { retryable: retriable, ...('cause' in options ? { cause: options.cause } : {}) });
    this.name = 'KafkaJSError';
  }

  static override [Symbol.hasInstance](value: unknown): value is KafkaJSErrorShape {
    return isClientError(value);
  }
}

/** KafkaJS' non-retriable errors: `instanceof` holds for every client error with `retriable: false`. */
export class KafkaJSNonRetriableError extends KafkaJSError {
  constructor(e: Error | string, options: { readonly cause?: unknown } = {}) {
    super(e, { ...options, retriable: false });
    this.name = 'KafkaJSNonRetriableError';
  }

  static override [Symbol.hasInstance](value: unknown): value is KafkaJSErrorShape {
    return isClientError(value) && !value.retriable;
  }
}

/**
 * A handler (eachMessage, eachBatch) still failed after the consumer's retries: the error of
 * `consumer.crash`, with the handler's error as `cause`, as KafkaJS reports it.
 */
export class KafkaJSNumberOfRetriesExceeded extends KafkaJSNonRetriableError {
  readonly retryCount: number;
  /** How long the consumer waits before it restarts. */
  readonly retryTime: number;

  constructor(e: Error, options: { readonly retryCount: number; readonly retryTime: number }) {
    super(e, { cause: e });
    this.name = 'KafkaJSNumberOfRetriesExceeded';
    this.retryCount = options.retryCount;
    this.retryTime = options.retryTime;
  }

  static override [Symbol.hasInstance](value: unknown): value is KafkaJSNumberOfRetriesExceeded {
    return isOwnInstance(KafkaJSNumberOfRetriesExceeded, value);
  }
}
