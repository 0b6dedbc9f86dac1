// Composes the access set proxies follow (@flotilla/auth's AccessSetDocument) from the registry's
// tenancy rows. Pure: every list comes out in one order whatever order the rows came in, so two
// compositions of the same state are equal and a follower can diff versions entry by entry.
import type { AccessSetDocument } from '@flotilla/auth';
import type { ActiveCredential, Policy, Quota } from '@flotilla/db';
import { isDeepStrictEqual } from 'node:util';

/** The registry's tenancy state, as its repositories list it. */
export interface AccessState {
  readonly applications: readonly { readonly id: string }[];
  /** Unrevoked credentials only (`credentials.listActive()`). */
  readonly credentials: readonly ActiveCredential[];
  readonly policies: readonly Policy[];
  readonly quotas: readonly Quota[];
}

export function composeAccessSet(version: number, state: AccessState): AccessSetDocument {
  const tokens: { tokenId: string; application: string; hash: string }[] = [];
  const certificates: { subject: string; application: string }[] = [];
  for (const credential of state.credentials) {
    // A token credential's id is the public id inside the token (`flt_<id>_<secret>`).
    if (credential.kind === 'token') tokens.push({ tokenId: credential.id, application: credential.application, hash: credential.tokenHash });
    else certificates.push({ subject: credential.subject, application: credential.application });
  }
  return {
    version,
    applications: state.applications.map(({ id }) => ({ id })).sort(by((a) => [a.id])),
    tokens: tokens.sort(by((t) => [t.tokenId])),
    certificates: certificates.sort(by((c) => [c.subject])),
    policies: state.policies
      .map(({ application, verb, resource, effect }) => ({ application, verb, resource, effect }))
      .sort(by((p) => [p.application, p.resource, p.verb])),
    quotas: state.quotas
      .map(({ application, bytesPerSecond, requestsPerSecond }) => ({ application, bytesPerSecond, requestsPerSecond }))
      .sort(by((q) => [q.application])),
  };
}

/** Whether two access sets grant the same, whatever their version numbers. */
export function sameAccess(a: AccessSetDocument, b: AccessSetDocument): boolean {
  return isDeepStrictEqual({ ...a, version: 0 }, { ...b, version: 0 });
}

// Code-unit order, not locale order: the same on every host, as followers compare it.
function by<T>(key: (item: T) => readonly string[]): (a: T, b: T) => number {
  return (a, b) => {
    const left = key(a);
    const right = key(b);
    for (let i = 0; i < left.length; i++) {
      const l = left[i] ?? '';
      const r = right[i] ?? '';
      if (l !== r) return l < r ? -1 : 1;
    }
    return 0;
  };
}
