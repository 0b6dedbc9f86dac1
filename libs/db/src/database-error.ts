// Drivers throw their own errors (wrapped by drizzle in DrizzleQueryError). Callers need to know
// one thing from them: will trying again help? A lost connection or a serialization conflict
// will; anything else is a bug or a broken database and is reported as INTERNAL.
import { FlotillaError, UnavailableError } from '@flotilla/errors';

// The server cannot be reached or went away: SQLSTATE connection exceptions and shutdowns, socket
// errors, and what pg throws without a code when a pooled connection dies or none comes in time.
const unreachableSqlStates = [/^08/, /^57P0[1-3]$/];
const unreachableSystemCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const unreachableMessages = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /^Client has encountered a connection error/];
// The server answered, but the moment was wrong: out of resources, a serialization conflict, a deadlock.
const transientSqlStates = [/^53/, /^40001$/, /^40P01$/];

export function toFlotillaError(thrown: unknown): FlotillaError {
  if (thrown instanceof FlotillaError) return thrown;
  const codes = [...errorCodesOf(thrown)];
  const reason = rootMessage(thrown);
  if (codes.some((code) => unreachableSystemCodes.has(code) || unreachableSqlStates.some((p) => p.test(code))) || unreachableMessages.some((p) => p.test(reason))) {
    return new UnavailableError(`the database is not answering (${reason}): the registry cannot be read or changed until it is back`, { cause: thrown });
  }
  if (codes.some((code) => transientSqlStates.some((p) => p.test(code)))) {
    return new UnavailableError(`database unavailable: ${reason}`, { cause: thrown });
  }
  return new FlotillaError('INTERNAL', `database error: ${reason}`, { cause: thrown });
}

/** The `code` of the error and of every cause beneath it. */
function* errorCodesOf(thrown: unknown): Generator<string> {
  for (let current: unknown = thrown, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if ('code' in current && typeof current.code === 'string') yield current.code;
    // pg reports a failed connect to every resolved address as one AggregateError.
    if (current instanceof AggregateError) {
      for (const inner of current.errors) yield* errorCodesOf(inner);
    }
    current = current.cause;
  }
}

/** The innermost message: drizzle's own is "Failed query: <sql>", the driver's says what went wrong. */
export function rootMessage(thrown: unknown): string {
  let current = thrown;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (current instanceof AggregateError && current.errors[0] instanceof Error) current = current.errors[0];
  const message = current instanceof Error ? current.message : String(current);
  return message.split('\n')[0] ?? message;
}

/** Runs a repository operation, turning whatever the driver throws into a FlotillaError. */
export async function guard<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error: unknown) {
    throw toFlotillaError(error);
  }
}
