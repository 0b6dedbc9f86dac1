// The HTTP-style verbs every authorization decision is phrased in (ARCHITECTURE.md §6), so the
// proxy, the management API and the brokers' ACLs all speak one vocabulary.

export const VERBS = ['GET', 'PUT', 'POST', 'DELETE'] as const;
export type Verb = (typeof VERBS)[number];

/** A policy may name one verb or `*` for all of them. */
export const POLICY_VERBS = [...VERBS, '*'] as const;
export type PolicyVerb = (typeof POLICY_VERBS)[number];

const verbSet: ReadonlySet<string> = new Set(VERBS);

export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && verbSet.has(value);
}
