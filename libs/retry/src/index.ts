export { Backoff, backoffDelay } from './backoff';
export type { BackoffPolicy } from './backoff';
export { retry } from './retry';
export type { RetryOptions } from './retry';
