// The question the engine answers: may `application` do `verb` on `resource`?
import type { Policy } from './policy';
import type { Verb } from './verb';

export interface AccessRequest {
  readonly application: string;
  readonly verb: Verb;
  /** A concrete resource such as `/topics/orders` (no wildcards). */
  readonly resource: string;
}

export interface AccessDecision<P extends Policy = Policy> {
  readonly allowed: boolean;
  /** One line for logs, 403 bodies and audit: which policy decided, or that none allowed. */
  readonly reason: string;
  /** The policy that decided; absent when nothing matched (default deny) or the request was malformed. */
  readonly policy?: P;
}
