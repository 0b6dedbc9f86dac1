// The brokers' desired tenancy and its difference from a cluster: only application principals'
// ACLs are ever deleted (a move's fence and the platform's are not), users follow credentials,
// quotas follow bytes per second, and a rotation rewrites a user that is present.
import { platformAcls, type AclBinding } from '@flotilla/auth';
import { describe, expect, it } from 'vitest';
import { composeBrokerState, diffBrokerState, isEmptyDiff, kafkaPassword } from './broker-state';

const key = Buffer.alloc(32, 7);
const registry = {
  credentials: [{ application: 'billing', generation: 2 }],
  policies: [
    { application: 'billing', verb: 'PUT' as const, resource: '/topics/payments.*', effect: 'allow' as const },
    { application: 'no-credential', verb: 'PUT' as const, resource: '/topics/orders', effect: 'allow' as const },
  ],
  quotas: [
    { application: 'billing', bytesPerSecond: 1_000, requestsPerSecond: 50 },
    { application: 'no-credential', bytesPerSecond: 5, requestsPerSecond: null },
  ],
};
const fence: AclBinding[] = [
  { resourceType: 'topic', patternType: 'literal', name: 'orders', principal: 'User:*', host: '*', operation: 'write', permission: 'deny' },
  { resourceType: 'topic', patternType: 'literal', name: 'orders', principal: 'User:ANONYMOUS', host: '*', operation: 'all', permission: 'allow' },
];

describe('composeBrokerState', () => {
  it('holds the platform ACLs and the ACLs, user and quota of each application with a credential, noting what has no broker form', () => {
    const desired = composeBrokerState(key, registry);

    expect(desired.acls).toEqual(expect.arrayContaining(platformAcls()));
    expect(desired.acls.filter((b) => b.principal !== 'User:ANONYMOUS').map((b) => `${b.principal} ${b.operation} ${b.name}`)).toEqual(['User:billing describe payments.', 'User:billing write payments.']);
    expect([...desired.users]).toEqual([['billing', kafkaPassword(key, 'billing', 2)]]);
    expect([...desired.quotas]).toEqual([['billing', { producer_byte_rate: 1_000, consumer_byte_rate: 1_000 }]]);
    expect(desired.notes).toEqual([expect.stringMatching(/quota of billing: 50 requests\/s has no broker equivalent/)]);
  });

  it('derives a different password for each generation and application, the same for the same ones', () => {
    expect(kafkaPassword(key, 'billing', 1)).toBe(kafkaPassword(key, 'billing', 1));
    expect(new Set([kafkaPassword(key, 'billing', 1), kafkaPassword(key, 'billing', 2), kafkaPassword(key, 'orders', 1), kafkaPassword(Buffer.alloc(32, 8), 'billing', 1)]).size).toBe(4);
  });
});

describe('diffBrokerState', () => {
  const desired = composeBrokerState(key, registry);

  it('creates what is missing and deletes only application ACLs and users the registry does not have', () => {
    const stray: AclBinding = { resourceType: 'topic', patternType: 'literal', name: '*', principal: 'User:gone', host: '*', operation: 'read', permission: 'allow' };
    const diff = diffBrokerState(desired, { acls: [...fence, stray], users: ['gone'], quotas: [{ user: 'gone', quotas: { producer_byte_rate: 9 } }] });

    expect(diff.createAcls).toHaveLength(desired.acls.length);
    expect(diff.deleteAcls).toEqual([stray]);
    expect(diff.upsertUsers).toEqual(['billing']);
    expect(diff.deleteUsers).toEqual(['gone']);
    expect(diff.quotas).toEqual([
      { user: 'billing', set: { producer_byte_rate: 1_000, consumer_byte_rate: 1_000 }, remove: [] },
      { user: 'gone', set: {}, remove: ['producer_byte_rate'] },
    ]);
  });

  it('is empty for a cluster that matches, unless a present user is to be rewritten', () => {
    const actual = { acls: [...desired.acls, ...fence], users: ['billing'], quotas: [{ user: 'billing', quotas: { producer_byte_rate: 1_000, consumer_byte_rate: 1_000 } }] };

    expect(isEmptyDiff(diffBrokerState(desired, actual))).toBe(true);
    expect(diffBrokerState(desired, actual, ['billing']).upsertUsers).toEqual(['billing']);
  });
});
