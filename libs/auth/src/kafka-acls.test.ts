// Policies as Kafka ACLs: each verb's operations, topic patterns as literal / prefixed / all, the
// group prefix a consumer needs, and the patterns Kafka cannot express named in a note.
import { describe, expect, it } from 'vitest';
import { aclKey, aclsForPolicies, aclsForPolicy, applicationOfPrincipal, platformAcls } from './kafka-acls';

const ops = (acls: ReturnType<typeof aclsForPolicy>) => acls.bindings.map((b) => `${b.permission} ${b.operation} ${b.resourceType}:${b.patternType}:${b.name}`);

describe('aclsForPolicy', () => {
  it('gives a producer WRITE and DESCRIBE on the prefixed topics, as its own principal', () => {
    const acls = aclsForPolicy({ application: 'billing', verb: 'PUT', resource: '/topics/payments.*', effect: 'allow' });
    expect(ops(acls)).toEqual(['allow write topic:prefixed:payments.', 'allow describe topic:prefixed:payments.']);
    expect(acls.bindings.every((b) => b.principal === 'User:billing' && b.host === '*')).toBe(true);
    expect(acls.note).toBeUndefined();
  });

  it('gives a consumer READ and DESCRIBE on the topic and READ on its own group prefix', () => {
    expect(ops(aclsForPolicy({ application: 'billing', verb: 'GET', resource: '/topics/orders', effect: 'allow' }))).toEqual([
      'allow read topic:literal:orders',
      'allow describe topic:literal:orders',
      'allow read group:prefixed:billing.',
    ]);
  });

  it('reads /topics/*, /topics/** and /** as every topic, and ignores resources that are not topics', () => {
    for (const resource of ['/topics/*', '/topics/**', '/**']) {
      expect(ops(aclsForPolicy({ application: 'a', verb: 'DELETE', resource, effect: 'deny' }))).toEqual(['deny delete topic:literal:*']);
    }
    expect(aclsForPolicy({ application: 'a', verb: 'PUT', resource: '/clusters/fronting-1', effect: 'allow' }).bindings).toEqual([]);
  });

  it('leaves out an allow Kafka cannot express and widens such a deny, saying so', () => {
    const allow = aclsForPolicy({ application: 'a', verb: 'PUT', resource: '/topics/*.eu', effect: 'allow' });
    const deny = aclsForPolicy({ application: 'a', verb: 'PUT', resource: '/topics/pay*.eu', effect: 'deny' });
    expect(allow.bindings).toEqual([]);
    expect(allow.note).toMatch(/allow a PUT \/topics\/\*\.eu: .*the brokers refuse it/);
    expect(ops(deny)).toEqual(['deny write topic:prefixed:pay', 'deny describe topic:prefixed:pay']);
    expect(deny.note).toMatch(/widened at the brokers to every topic starting "pay"/);
  });
});

describe('aclsForPolicies and the platform', () => {
  it('merges repeats into one binding each, in a stable order', () => {
    const { bindings } = aclsForPolicies([
      { application: 'a', verb: 'GET', resource: '/topics/x', effect: 'allow' },
      { application: 'a', verb: 'GET', resource: '/topics/y', effect: 'allow' },
    ]);
    expect(bindings.filter((b) => b.resourceType === 'group')).toHaveLength(1);
    expect(bindings.map(aclKey)).toEqual([...bindings.map(aclKey)].sort());
  });

  it('allows the platform everything and tells it apart from applications', () => {
    expect(platformAcls().every((b) => b.principal === 'User:ANONYMOUS' && b.operation === 'all' && b.permission === 'allow')).toBe(true);
    expect(applicationOfPrincipal('User:billing')).toBe('billing');
    expect(applicationOfPrincipal('User:ANONYMOUS')).toBeUndefined();
    expect(applicationOfPrincipal('User:*')).toBeUndefined();
  });
});
