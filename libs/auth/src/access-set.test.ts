import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { accessSetSchema, parseAccessSet, type AccessSetDocument } from './access-set';
import { generateApiToken } from './api-token';

const issued = generateApiToken();
const document: AccessSetDocument = {
  version: 4,
  applications: [{ id: 'billing' }],
  tokens: [{ tokenId: issued.tokenId, application: 'billing', hash: issued.hash }],
  certificates: [{ subject: 'billing.clients.flotilla', application: 'billing' }],
  policies: [{ application: 'billing', verb: 'PUT', resource: '/topics/payments.*', effect: 'allow' }],
  quotas: [{ application: 'billing', bytesPerSecond: null, requestsPerSecond: 50 }],
};

describe('access set schema', () => {
  it('accepts a published document as it is, and drops keys a newer management added', () => {
    expect(parseAccessSet(document)).toEqual(document);
    expect(accessSetSchema.parse({ ...document, issuedBy: 'management-2', tokens: [{ ...document.tokens[0], role: 'viewer' }] })).toEqual(document);
  });

  it('refuses a malformed document naming the field, so a follower keeps the set it has', () => {
    const badHash = { ...document, tokens: [{ ...document.tokens[0], hash: 'not-a-sha256' }] };
    const badPolicy = { ...document, policies: [{ ...document.policies[0], resource: 'topics/no-slash' }] };
    const badQuota = { ...document, quotas: [{ application: 'billing', bytesPerSecond: 0, requestsPerSecond: null }] };

    expect(() => parseAccessSet(badHash)).toThrow(ValidationError);
    expect(() => parseAccessSet(badHash)).toThrow(/tokens\.0\.hash: expected the token's SHA-256 as 64 lowercase hex characters/);
    expect(() => parseAccessSet(badPolicy)).toThrow(/policies\.0\.resource: resource pattern/);
    expect(() => parseAccessSet(badQuota)).toThrow(/quotas\.0\.bytesPerSecond: expected a positive integer or null/);
    expect(() => parseAccessSet({ ...document, certificates: undefined })).toThrow(/certificates: /);
    expect(() => parseAccessSet({ ...document, version: 0 })).toThrow(/version: /);
  });
});
