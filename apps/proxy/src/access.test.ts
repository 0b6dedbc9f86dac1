import { generateApiToken, hashApiToken } from '@flotilla/auth';
import { describe, expect, it } from 'vitest';
import { Access } from './access';

function accessWith(token: string, tokenId: string, quotas: { application: string; bytesPerSecond: number | null; requestsPerSecond: number | null }[] = []) {
  const access = new Access();
  access.replace({
    version: 3,
    applications: [{ id: 'billing' }],
    tokens: [{ tokenId, application: 'billing', hash: hashApiToken(token) }],
    certificates: [{ subject: 'billing-client', application: 'billing' }],
    policies: [{ application: 'billing', verb: 'PUT', resource: '/topics/payments.*', effect: 'allow' }],
    quotas,
  });
  return access;
}

describe('Access', () => {
  it('knows an application by its token or certificate, and says why not otherwise', () => {
    const { token, tokenId } = generateApiToken();
    const access = accessWith(token, tokenId);
    expect(access.byToken(token)).toEqual({ application: 'billing' });
    expect(access.byCertificate('billing-client')).toEqual({ application: 'billing' });
    expect(access.byToken(`${token.slice(0, -1)}x`)).toEqual({ problem: `API token ${tokenId} is unknown or revoked` });
    expect(access.byToken('not-a-token')).toHaveProperty('problem');
    expect(access.byToken('not-a-token')).not.toHaveProperty('problem', expect.stringContaining('not-a-token'));
  });

  it('forgets a token the next access set lacks', () => {
    const { token, tokenId } = generateApiToken();
    const access = accessWith(token, tokenId);
    access.replace({ version: 4, applications: [{ id: 'billing' }], tokens: [], certificates: [], policies: [], quotas: [] });
    expect(access.byToken(token)).toHaveProperty('problem');
    expect(access.version).toBe(4);
  });

  it('authorizes by the policies and admits by the quotas', () => {
    const { token, tokenId } = generateApiToken();
    const access = accessWith(token, tokenId, [{ application: 'billing', bytesPerSecond: null, requestsPerSecond: 1 }]);
    expect(access.authorize('billing', 'PUT', '/topics/payments.eu').allowed).toBe(true);
    expect(access.authorize('billing', 'PUT', '/topics/orders')).toEqual({ allowed: false, reason: expect.stringContaining('/topics/orders') });
    expect(access.admit('billing', 10).allowed).toBe(true);
    expect(access.admit('billing', 10)).toEqual(expect.objectContaining({ allowed: false, limit: 'requestsPerSecond' }));
  });
});
