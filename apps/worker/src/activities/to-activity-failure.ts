// The edge between our errors and Temporal's retry policy: a FlotillaError that says it is
// not retryable (bad input, conflict) fails the activity for good; anything else is retried.
import { ApplicationFailure } from '@temporalio/activity';
import { FlotillaError } from '@flotilla/errors';

export function toActivityFailure(thrown: unknown): never {
  const error = FlotillaError.from(thrown);
  throw ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: !error.retryable,
    cause: error,
  });
}
