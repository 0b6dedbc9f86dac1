// Who may do what, as management last pushed it (the access set: GET /v1/access/stream): the
// applications' API tokens (their hashes) and certificate subjects, the policies compiled into the
// one policy engine of @flotilla/auth, and the quotas in a limiter. A new version replaces the old
// at once, so a revoked token or a removed policy stops working within the push (well under 2 s);
// the quota buckets keep their levels across versions.
import { compilePolicies, parseApiToken, QuotaLimiter, verifyApiToken, type AccessSetDocument, type PolicySet, type QuotaDecision } from '@flotilla/auth';

export type Identification = { readonly application: string } | { readonly problem: string };

export class Access {
  #version = 0;
  #tokens = new Map<string, { application: string; hash: string }>();
  #certificates = new Map<string, string>();
  #policies: PolicySet | undefined;
  readonly #quotas = new QuotaLimiter({ clock: { now: () => Date.now() } });

  /** The access set version in force; 0 before the first (no request is served then). */
  get version(): number {
    return this.#version;
  }

  replace(document: AccessSetDocument): void {
    this.#tokens = new Map(document.tokens.map((token) => [token.tokenId, { application: token.application, hash: token.hash }]));
    this.#certificates = new Map(document.certificates.map((certificate) => [certificate.subject, certificate.application]));
    this.#policies = compilePolicies(document.policies);
    this.#quotas.replaceQuotas(document.quotas);
    this.#version = document.version;
  }

  /** The application a Bearer token belongs to, or why it is not accepted (never echoing the token). */
  byToken(token: string): Identification {
    let tokenId: string;
    try {
      ({ tokenId } = parseApiToken(token));
    } catch (error) {
      return { problem: error instanceof Error ? error.message : 'malformed API token' };
    }
    const known = this.#tokens.get(tokenId);
    if (!known || !verifyApiToken(token, known.hash)) return { problem: `API token ${tokenId} is unknown or revoked` };
    return { application: known.application };
  }

  /** The application a verified client certificate's subject belongs to. */
  byCertificate(subject: string): Identification {
    const application = this.#certificates.get(subject);
    return application === undefined ? { problem: `client certificate "${subject}" is not an application's (or was revoked)` } : { application };
  }

  authorize(application: string, verb: 'PUT' | 'GET', resource: string): { allowed: boolean; reason: string } {
    if (!this.#policies) return { allowed: false, reason: 'no access set yet' };
    const decision = this.#policies.authorize({ application, verb, resource });
    return { allowed: decision.allowed, reason: decision.reason };
  }

  admit(application: string, bytes: number): QuotaDecision {
    return this.#quotas.tryAcquire(application, bytes);
  }
}
