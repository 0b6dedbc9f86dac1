// Kafka ACL bindings in words, and their numbers in kafkajs' ACL calls (CreateAcls, DescribeAcls
// and DeleteAcls v1, which know prefixed patterns). A binding is one ACL exactly as the broker
// stores it, so two bindings are the same ACL when every field is equal.
import kafkajs from 'kafkajs';
import type { AclBinding, AclOperation, AclPatternType, AclPermission, AclResourceType } from '@flotilla/auth';
import { compareStrings } from '@flotilla/errors';

const { AclResourceTypes, ResourcePatternTypes, AclOperationTypes, AclPermissionTypes } = kafkajs;

const RESOURCE_TYPES = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
  transactional_id: AclResourceTypes.TRANSACTIONAL_ID,
} as const satisfies Record<AclResourceType, number>;

const PATTERN_TYPES = { literal: ResourcePatternTypes.LITERAL, prefixed: ResourcePatternTypes.PREFIXED } as const satisfies Record<AclPatternType, number>;

const OPERATIONS = {
  all: AclOperationTypes.ALL,
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  delete: AclOperationTypes.DELETE,
  alter: AclOperationTypes.ALTER,
  describe: AclOperationTypes.DESCRIBE,
  cluster_action: AclOperationTypes.CLUSTER_ACTION,
  describe_configs: AclOperationTypes.DESCRIBE_CONFIGS,
  alter_configs: AclOperationTypes.ALTER_CONFIGS,
  idempotent_write: AclOperationTypes.IDEMPOTENT_WRITE,
} as const satisfies Record<AclOperation, number>;

const PERMISSIONS = { allow: AclPermissionTypes.ALLOW, deny: AclPermissionTypes.DENY } as const satisfies Record<AclPermission, number>;

// The binding's shape is @flotilla/auth's, where policies become ACLs; these tables give each
// word its number in kafkajs' calls, and `satisfies` keeps the two vocabularies the same.
export type { AclBinding, AclOperation, AclPatternType, AclPermission, AclResourceType } from '@flotilla/auth';

/** The principal the PLAINTEXT listener gives every connection: the platform's own clients (as @flotilla/auth says; a value here, so a Kafka client never loads the policy engine). */
export const PLATFORM_PRINCIPAL = 'User:ANONYMOUS';

/** The binding as kafkajs' createAcls takes it, and as a deleteAcls filter that matches only it. */
export function toKafkajsAcl(binding: AclBinding) {
  return {
    resourceType: RESOURCE_TYPES[binding.resourceType],
    resourceName: binding.name,
    resourcePatternType: PATTERN_TYPES[binding.patternType],
    principal: binding.principal,
    host: binding.host,
    operation: OPERATIONS[binding.operation],
    permissionType: PERMISSIONS[binding.permission],
  };
}

/** A filter matching every ACL of every resource, for kafkajs' describeAcls. */
export const ANY_ACL = {
  resourceType: AclResourceTypes.ANY,
  resourcePatternType: ResourcePatternTypes.ANY,
  operation: AclOperationTypes.ANY,
  permissionType: AclPermissionTypes.ANY,
} as const;

interface DescribedResource {
  resourceType: number;
  resourceName: string;
  resourcePatternType: number;
  acls: { principal: string; host: string; operation: number; permissionType: number }[];
}

/**
 * DescribeAcls' resources as bindings. ACLs on delegation tokens and users, which Flotilla never
 * makes, are left out: AclBinding has no words for them.
 */
export function fromDescribedAcls(resources: readonly DescribedResource[]): AclBinding[] {
  const bindings: AclBinding[] = [];
  for (const resource of resources) {
    const resourceType = nameOf(RESOURCE_TYPES, resource.resourceType);
    const patternType = nameOf(PATTERN_TYPES, resource.resourcePatternType);
    if (resourceType === undefined || patternType === undefined) continue;
    for (const acl of resource.acls) {
      const operation = nameOf(OPERATIONS, acl.operation);
      const permission = nameOf(PERMISSIONS, acl.permissionType);
      if (operation === undefined || permission === undefined) continue;
      bindings.push({ resourceType, patternType, name: resource.resourceName, principal: acl.principal, host: acl.host, operation, permission });
    }
  }
  return bindings.sort((a, b) => compareStrings(aclBindingKey(a), aclBindingKey(b)));
}

/** One string per binding, equal exactly when the bindings are. */
export function aclBindingKey(b: AclBinding): string {
  return [b.resourceType, b.patternType, b.name, b.principal, b.host, b.operation, b.permission].join('|');
}

/** "ALLOW WRITE on TOPIC PREFIXED "payments." for User:app": a binding in an error message. */
export function showAclBinding(b: AclBinding): string {
  const host = b.host === '*' ? '' : ` from ${b.host}`;
  return `${b.permission.toUpperCase()} ${b.operation.toUpperCase()} on ${b.resourceType.toUpperCase()} ${b.patternType.toUpperCase()} "${b.name}" for ${b.principal}${host}`;
}

function nameOf<K extends string>(table: Readonly<Record<K, number>>, value: number): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === value);
}
