import { accessSetSchema, generateApiToken, verifyApiToken } from '@flotilla/auth';
import type { ActiveCredential, Policy, Quota } from '@flotilla/db';
import { describe, expect, it } from 'vitest';
import { composeAccessSet, sameAccess, type AccessState } from './access-set';

const at = new Date('2026-12-07T00:00:00.000Z');
const token = (application: string, tokenId: string, tokenHash: string): ActiveCredential => ({
  id: tokenId,
  application,
  kind: 'token',
  tokenHash,
  subject: null,
  role: null,
  description: null,
  createdAt: at,
  revokedAt: null,
});
const certificate = (application: string, subject: string): ActiveCredential => ({
  id: `mtls-${subject}`,
  application,
  kind: 'mtls',
  subject,
  role: 'operator',
  description: null,
  createdAt: at,
  revokedAt: null,
});
const policy = (id: number, application: string, verb: Policy['verb'], resource: string, effect: Policy['effect'] = 'allow'): Policy => ({ id, application, verb, resource, effect, createdAt: at });
const quota = (application: string, bytesPerSecond: number | null, requestsPerSecond: number | null): Quota => ({ application, bytesPerSecond, requestsPerSecond, updatedAt: at });

const billingToken = generateApiToken();
const state: AccessState = {
  applications: [{ id: 'orders' }, { id: 'billing' }],
  credentials: [token('orders', 'ffffffffffffffff', 'f'.repeat(64)), certificate('billing', 'CN=billing'), token('billing', billingToken.tokenId, billingToken.hash)],
  policies: [policy(2, 'orders', 'PUT', '/topics/orders.*'), policy(1, 'billing', 'GET', '/topics/**', 'deny'), policy(3, 'billing', '*', '/topics/payments')],
  quotas: [quota('orders', null, 100), quota('billing', 1_048_576, null)],
};

describe('access set composition', () => {
  it('carries the applications, token hashes, certificate subjects, policies and quotas, each list in a fixed order', () => {
    const document = composeAccessSet(7, state);

    expect(document).toEqual({
      version: 7,
      applications: [{ id: 'billing' }, { id: 'orders' }],
      tokens: [
        { tokenId: billingToken.tokenId, application: 'billing', hash: billingToken.hash },
        { tokenId: 'ffffffffffffffff', application: 'orders', hash: 'f'.repeat(64) },
      ].sort((a, b) => (a.tokenId < b.tokenId ? -1 : 1)),
      certificates: [{ subject: 'CN=billing', application: 'billing' }],
      policies: [
        { application: 'billing', verb: 'GET', resource: '/topics/**', effect: 'deny' },
        { application: 'billing', verb: '*', resource: '/topics/payments', effect: 'allow' },
        { application: 'orders', verb: 'PUT', resource: '/topics/orders.*', effect: 'allow' },
      ],
      quotas: [
        { application: 'billing', bytesPerSecond: 1_048_576, requestsPerSecond: null },
        { application: 'orders', bytesPerSecond: null, requestsPerSecond: 100 },
      ],
    });
    // What a follower validates it with accepts it, and the hash checks the token it was issued for.
    expect(accessSetSchema.parse(document)).toEqual(document);
    const pushed = document.tokens.find((t) => t.tokenId === billingToken.tokenId);
    expect(pushed && verifyApiToken(billingToken.token, pushed.hash)).toBe(true);
  });

  it('leaves out what only the registry needs: ids, roles, descriptions, times', () => {
    const document = composeAccessSet(1, state);

    expect(JSON.stringify(document)).not.toMatch(/createdAt|updatedAt|role|description|"id":\d/);
    expect(document.certificates[0]).toEqual({ subject: 'CN=billing', application: 'billing' });
  });

  it('gives the same document for the same state in any row order, and another for any change', () => {
    const reversed: AccessState = {
      applications: [...state.applications].reverse(),
      credentials: [...state.credentials].reverse(),
      policies: [...state.policies].reverse(),
      quotas: [...state.quotas].reverse(),
    };
    const withoutCertificate: AccessState = { ...state, credentials: state.credentials.filter((c) => c.kind === 'token') };
    const lowerQuota: AccessState = { ...state, quotas: [quota('orders', null, 99), quota('billing', 1_048_576, null)] };

    expect(composeAccessSet(3, reversed)).toEqual(composeAccessSet(3, state));
    expect(sameAccess(composeAccessSet(3, state), composeAccessSet(4, reversed))).toBe(true);
    expect(sameAccess(composeAccessSet(3, state), composeAccessSet(3, withoutCertificate))).toBe(false);
    expect(sameAccess(composeAccessSet(3, state), composeAccessSet(3, lowerQuota))).toBe(false);
  });

  it('is empty but valid before any application exists', () => {
    const document = composeAccessSet(1, { applications: [], credentials: [], policies: [], quotas: [] });

    expect(document).toEqual({ version: 1, applications: [], tokens: [], certificates: [], policies: [], quotas: [] });
    expect(accessSetSchema.safeParse(document).success).toBe(true);
  });
});
