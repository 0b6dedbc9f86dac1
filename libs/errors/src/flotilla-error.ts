// The errors Flotilla throws on purpose. Code in between only throws and rethrows them; the
// edges (tRPC formatter, proxy, Temporal activities, CLI) translate `code` and `retryable`, so
// nothing ever has to parse a message.

export const errorCodes = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAVAILABLE',
  'BUFFER_FULL',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface FlotillaErrorOptions {
  /** Whether the same call may succeed later unchanged. Defaults by code: see `retryableCodes`. */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

// Only conditions that pass by themselves (a cluster coming back, a buffer draining) are worth a
// retry; repeating a rejected input or a denied call just repeats the failure.
const retryableCodes: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'BUFFER_FULL']);

export class FlotillaError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: FlotillaErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? retryableCodes.has(code);
  }

  /** `retryable` under KafkaJS's spelling, so code written for KafkaJSError reads it unchanged. */
  get retriable(): boolean {
    return this.retryable;
  }

  /** Turns anything thrown into a FlotillaError; an unknown throw becomes INTERNAL with its cause kept. */
  static from(thrown: unknown): FlotillaError {
    if (thrown instanceof FlotillaError) return thrown;
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return new FlotillaError('INTERNAL', message, { cause: thrown });
  }
}

/** A caller's input is wrong; the message names the field, the value and what was expected. */
export class ValidationError extends FlotillaError {
  /** Dotted path of the offending field (`bootstrap.0`), when a single field is to blame. */
  readonly field: string | undefined;

  constructor(message: string, options: FlotillaErrorOptions & { readonly field?: string } = {}) {
    super('VALIDATION', message, options);
    this.field = options.field;
  }
}

export interface NotFoundOptions extends FlotillaErrorOptions {
  /** The input field that named it (`destinations[0].topic`), put before the message. */
  readonly field?: string;
  /** What to do about it (`create it first: flotilla topics create orders`), put after. */
  readonly hint?: string;
}

export class NotFoundError extends FlotillaError {
  readonly resource: string;
  readonly id: string;

  constructor(resource: string, id: string, options: NotFoundOptions = {}) {
    const { field, hint, ...rest } = options;
    super('NOT_FOUND', `${field === undefined ? '' : `${field}: `}${resource} "${id}" not found${hint === undefined ? '' : `; ${hint}`}`, rest);
    this.resource = resource;
    this.id = id;
  }
}

/** The request contradicts current state: a duplicate name, a concurrent change, a wrong phase. */
export class ConflictError extends FlotillaError {
  readonly resource: string;
  readonly id: string;

  constructor(resource: string, id: string, reason = 'already exists', options: FlotillaErrorOptions = {}) {
    super('CONFLICT', `${resource} "${id}" ${reason}`, options);
    this.resource = resource;
    this.id = id;
  }
}

export class ForbiddenError extends FlotillaError {
  constructor(message: string, options: FlotillaErrorOptions = {}) {
    super('FORBIDDEN', message, options);
  }
}

/** A dependency (Kafka, the database, Temporal) cannot be reached; retryable unless told otherwise. */
export class UnavailableError extends FlotillaError {
  constructor(message: string, options: FlotillaErrorOptions = {}) {
    super('UNAVAILABLE', message, options);
  }
}
