// Temporal being down is a state of the platform, not a bug in management: every operations-gateway
// call that cannot reach it becomes an UnavailableError (HTTP 503, one clear line in the CLI)
// instead of an internal error with a stack. Calls also get a deadline, so none hangs on Temporal.
import { UnavailableError } from '@flotilla/errors';
import { isGrpcServiceError } from '@temporalio/client';

// gRPC status codes (grpc/status.h) that mean "nobody answered", as opposed to an answer saying no.
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/** Whether `thrown` or any cause beneath it is a gRPC call that found no Temporal to answer it. */
export function isTemporalUnreachable(thrown: unknown): boolean {
  for (let current: unknown = thrown, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if (isGrpcServiceError(current) && (current.code === GRPC_UNAVAILABLE || current.code === GRPC_DEADLINE_EXCEEDED)) return true;
    current = current.cause;
  }
  return false;
}

export function temporalUnavailable(address: string, cause: unknown): UnavailableError {
  return new UnavailableError(`Temporal at ${address} is not answering: operations cannot be started or followed until it is back`, { cause });
}

export interface TemporalCallGuard {
  /** Temporal's frontend, named in the error. */
  readonly address: string;
  /** How long one gateway call may take, all its gRPC calls and retries included. */
  readonly callTimeoutMs: number;
  /** Runs `call` with every gRPC request in it bounded by `deadline` (Connection.withDeadline). */
  withDeadline<T>(deadline: number, call: () => Promise<T>): Promise<T>;
}

/**
 * Wraps every method of `target` (a gateway over Temporal) so that it runs under a deadline and an
 * unreachable Temporal surfaces as UnavailableError; other errors pass through unchanged. Methods
 * named in `except` (close) are left as they are.
 */
export function guardTemporalCalls<T extends object>(target: T, guard: TemporalCallGuard, except: readonly (keyof T)[] = []): T {
  const wrapped = Object.entries(target).map(([name, value]: [string, unknown]) => {
    if (typeof value !== 'function' || (except as readonly string[]).includes(name)) return [name, value];
    const method = value as (...args: unknown[]) => Promise<unknown>;
    const call = (...args: unknown[]): Promise<unknown> =>
      guard.withDeadline(Date.now() + guard.callTimeoutMs, () => method.apply(target, args)).catch((error: unknown) => {
        throw isTemporalUnreachable(error) ? temporalUnavailable(guard.address, error) : error;
      });
    return [name, call];
  });
  return Object.fromEntries(wrapped) as T;
}
