// The access set: everything a data-plane process (the HTTP proxy) needs to tell who a caller is
// and what it may do without asking management per request. Management publishes the next one in
// the transaction of every tenancy change and pushes it over `GET /v1/access/stream`; a follower
// validates each document it receives with `accessSetSchema` before acting on it.
import { parseInput } from '@flotilla/errors';
import { z } from 'zod';
import { TOKEN_HASH_PATTERN, TOKEN_ID_PATTERN } from './api-token';
import { applicationIdSchema } from './application-id';
import type { PolicyEffect } from './policy';
import { storedPolicySchema } from './policy';
import { quotaLimitSchema } from './quota';
import type { PolicyVerb } from './verb';

export interface AccessSetDocument {
  readonly version: number;
  readonly applications: readonly { readonly id: string }[];
  /**
   * Active API tokens (not revoked): enough to check `Authorization: Bearer flt_<id>_<secret>`
   * locally, `parseApiToken` for the id and `verifyApiToken(token, hash)` for the secret.
   */
  readonly tokens: readonly { readonly tokenId: string; readonly application: string; readonly hash: string }[];
  /** Active mTLS credentials: the certificate subject as the TLS layer reports it (the CN). */
  readonly certificates: readonly { readonly subject: string; readonly application: string }[];
  readonly policies: readonly { readonly application: string; readonly verb: PolicyVerb; readonly resource: string; readonly effect: PolicyEffect }[];
  /** A null limit is no limit on that axis; an application without an entry has no quota. */
  readonly quotas: readonly { readonly application: string; readonly bytesPerSecond: number | null; readonly requestsPerSecond: number | null }[];
}

// Keys a newer management may add are dropped rather than refused, so followers can lag behind it.
export const accessSetSchema = z.object({
  version: z.int().positive(),
  applications: z.array(z.object({ id: applicationIdSchema })),
  tokens: z.array(
    z.object({
      tokenId: z.string().regex(TOKEN_ID_PATTERN, 'expected 16 lowercase hex characters'),
      application: applicationIdSchema,
      hash: z.string().regex(TOKEN_HASH_PATTERN, "expected the token's SHA-256 as 64 lowercase hex characters"),
    }),
  ),
  certificates: z.array(z.object({ subject: z.string().min(1, 'expected a certificate subject'), application: applicationIdSchema })),
  policies: z.array(storedPolicySchema),
  quotas: z.array(z.object({ application: applicationIdSchema, bytesPerSecond: quotaLimitSchema, requestsPerSecond: quotaLimitSchema })),
}) satisfies z.ZodType<AccessSetDocument>;

/** Validates a received access set; throws a ValidationError naming the first bad field (`tokens.0.hash`). */
export function parseAccessSet(input: unknown): AccessSetDocument {
  return parseInput(accessSetSchema, input, 'access set');
}
