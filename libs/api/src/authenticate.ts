// Resolves the caller of a request: an API token (`authorization: Bearer flt_...`) or the subject
// of a verified mTLS client certificate. The answer is an identity or the reason there is none;
// the procedures decide whether they need one (401) and which role (403).
import { parseApiToken, verifyApiToken } from '@flotilla/auth';
import type { Database } from '@flotilla/db';
import { createRegistry } from '@flotilla/db';
import { FlotillaError } from '@flotilla/errors';
import type { Identity } from './context';

export interface Credentials {
  /** The raw `authorization` header. */
  readonly authorization?: string | undefined;
  /** Subject of a client certificate the TLS layer verified against our CA. */
  readonly certificateSubject?: string | undefined;
}

export type Authentication = { readonly identity: Identity; readonly problem?: undefined } | { readonly identity?: undefined; readonly problem: string | undefined };

export async function authenticate(db: Database, credentials: Credentials): Promise<Authentication> {
  const registry = createRegistry(db);
  if (credentials.authorization !== undefined && credentials.authorization !== '') {
    const match = /^Bearer\s+(\S+)$/i.exec(credentials.authorization);
    if (!match?.[1]) return { problem: 'invalid authorization header: expected "Bearer <token>"' };
    const token = match[1];
    let tokenId: string;
    try {
      tokenId = parseApiToken(token).tokenId;
    } catch (error: unknown) {
      return { problem: error instanceof FlotillaError ? error.message : 'invalid API token' };
    }
    const credential = await registry.credentials.findByTokenId(tokenId);
    // One answer for unknown and wrong-secret tokens, so the response does not confirm an id.
    if (!credential || !verifyApiToken(token, credential.tokenHash)) return { problem: `unknown API token ${tokenId}` };
    if (credential.revokedAt !== null) return { problem: `API token ${tokenId} was revoked at ${credential.revokedAt.toISOString()}` };
    return { identity: { application: credential.application, credentialId: credential.id, role: credential.role ?? undefined } };
  }
  if (credentials.certificateSubject !== undefined) {
    const credential = await registry.credentials.findActiveBySubject(credentials.certificateSubject);
    if (!credential) return { problem: `no active credential for certificate subject "${credentials.certificateSubject}"` };
    return { identity: { application: credential.application, credentialId: credential.id, role: credential.role ?? undefined } };
  }
  return { problem: undefined };
}
