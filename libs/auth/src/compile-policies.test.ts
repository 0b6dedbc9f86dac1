import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { authorize, compilePolicies, topicAccess, type Policy } from './index';

const billing: readonly Policy[] = [
  { application: 'billing', verb: '*', resource: '/topics/**', effect: 'allow' },
  { application: 'billing', verb: 'PUT', resource: '/topics/payments.*', effect: 'deny' },
  { application: 'billing', verb: 'GET', resource: '/topics/audit', effect: 'allow' },
  { application: 'search', verb: 'GET', resource: '/topics/orders.*', effect: 'allow' },
];

describe('authorize', () => {
  const engine = compilePolicies(billing);

  it('denies by default and says who wanted what', () => {
    expect(engine.authorize({ application: 'search', verb: 'PUT', resource: '/topics/orders.eu' })).toEqual({
      allowed: false,
      reason: 'no policy allows app "search" to PUT /topics/orders.eu',
    });
    expect(engine.authorize({ application: 'unknown', verb: 'GET', resource: '/topics/x' }).reason).toBe(
      'no policy allows app "unknown" to GET /topics/x',
    );
  });

  it('lets an explicit deny beat any allow, and names the deny', () => {
    const decision = engine.authorize(topicAccess('billing', 'produce', 'payments.eu'));
    expect(decision).toEqual({
      allowed: false,
      reason: 'denied by policy deny PUT /topics/payments.* for app "billing"',
      policy: billing[1],
    });
    // The deny is for PUT only: reading the same topic is allowed by the wildcard.
    expect(engine.authorize(topicAccess('billing', 'consume', 'payments.eu'))).toMatchObject({
      allowed: true,
      reason: 'allowed by policy allow * /topics/** for app "billing"',
    });
  });

  it('names the most specific allow: an exact resource with a named verb before a wildcard', () => {
    expect(engine.authorize({ application: 'billing', verb: 'GET', resource: '/topics/audit' })).toEqual({
      allowed: true,
      reason: 'allowed by policy allow GET /topics/audit for app "billing"',
      policy: billing[2],
    });
  });

  it('keeps applications apart', () => {
    expect(engine.authorize(topicAccess('search', 'consume', 'orders.eu')).allowed).toBe(true);
    expect(engine.authorize(topicAccess('search', 'consume', 'payments.eu')).allowed).toBe(false);
  });

  it('keeps `*` within one segment', () => {
    const set = compilePolicies([{ application: 'a', verb: 'GET', resource: '/topics/*', effect: 'allow' }]);
    expect(set.authorize({ application: 'a', verb: 'GET', resource: '/topics/x' }).allowed).toBe(true);
    expect(set.authorize({ application: 'a', verb: 'GET', resource: '/topics/x/partitions' }).allowed).toBe(false);
  });

  it('denies a malformed request with the reason instead of throwing', () => {
    expect(engine.authorize({ application: 'billing', verb: 'GET', resource: '/topics/../admin' })).toEqual({
      allowed: false,
      reason:
        'resource "/topics/../admin" has a ".." segment, expected a path such as "/topics/orders": "/" followed by non-empty segments of A-Z a-z 0-9 . _ -, none of them "." or ".."',
    });
    expect(engine.authorize({ application: 'billing', verb: 'GET', resource: '/topics/*' }).allowed).toBe(false);
    const patch = { application: 'billing', verb: 'PATCH', resource: '/topics/x' } as unknown as Parameters<typeof engine.authorize>[0];
    expect(engine.authorize(patch)).toEqual({
      allowed: false,
      reason: 'invalid verb "PATCH", expected one of GET, PUT, POST, DELETE',
    });
  });

  it('returns the caller’s own policy object, so a registry row’s id travels with the decision', () => {
    const rows = [{ id: 7, createdAt: new Date(0), application: 'a', verb: 'GET' as const, resource: '/topics/x', effect: 'allow' as const }];
    expect(authorize(rows, { application: 'a', verb: 'GET', resource: '/topics/x' }).policy?.id).toBe(7);
  });

  it('refuses to compile an invalid policy, naming its position and field', () => {
    const bad = [billing[0], { application: 'billing', verb: 'GET', resource: '/topics//x', effect: 'allow' }] as Policy[];
    try {
      compilePolicies(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'policies.1.resource' });
      expect((error as Error).message).toContain('policies.1.resource: resource pattern has an empty segment 2; expected');
      expect((error as Error).message).toMatch(/, got "\/topics\/\/x"$/);
    }
    expect(() => compilePolicies([{ ...billing[0], effect: 'permit' } as unknown as Policy])).toThrow(
      /^invalid policy: policies\.0\.effect: .*expected one of "allow"\|"deny", got "permit"$/,
    );
  });

  it('says how many policies it holds', () => {
    expect(engine.size).toBe(4);
    expect(compilePolicies([]).authorize({ application: 'a', verb: 'GET', resource: '/topics/x' }).allowed).toBe(false);
  });
});
