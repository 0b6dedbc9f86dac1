import { describe, expect, it } from 'vitest';
import { fromDescribedAcls, showAclBinding, toKafkajsAcl, type AclBinding } from './acl-binding';

const prefixedWrite: AclBinding = { resourceType: 'topic', patternType: 'prefixed', name: 'payments.', principal: 'User:app', host: '*', operation: 'write', permission: 'allow' };
const clusterDeny: AclBinding = { resourceType: 'cluster', patternType: 'literal', name: 'kafka-cluster', principal: 'User:*', host: '*', operation: 'idempotent_write', permission: 'deny' };

describe('ACL bindings', () => {
  it('round-trips through the numbers kafkajs sends and DescribeAcls answers', () => {
    const described = [prefixedWrite, clusterDeny].map((b) => {
      const { resourceType, resourceName, resourcePatternType, ...acl } = toKafkajsAcl(b);
      return { resourceType, resourceName, resourcePatternType, acls: [acl] };
    });
    expect(toKafkajsAcl(prefixedWrite)).toEqual({ resourceType: 2, resourceName: 'payments.', resourcePatternType: 4, principal: 'User:app', host: '*', operation: 4, permissionType: 3 });
    expect(fromDescribedAcls(described)).toEqual([clusterDeny, prefixedWrite]);
  });

  it('leaves out ACLs on resource types it has no words for (delegation tokens, users)', () => {
    expect(fromDescribedAcls([{ resourceType: 7, resourceName: 'u', resourcePatternType: 3, acls: [{ principal: 'User:a', host: '*', operation: 7, permissionType: 3 }] }])).toEqual([]);
  });

  it('reads as Kafka tools print it', () => {
    expect(showAclBinding(prefixedWrite)).toBe('ALLOW WRITE on TOPIC PREFIXED "payments." for User:app');
  });
});
