// Policies as Kafka ACLs: what the brokers must hold so that a Kafka client authenticated as an
// application may do exactly what the one policy engine allows it (ARCHITECTURE.md §6). Pure: the
// broker synchroniser in management applies the answer. The platform itself (the plaintext
// listener's User:ANONYMOUS) is allowed everything by wildcard ACLs, which also make every
// resource "have an ACL", so a broker that allows everyone when no ACL matches still refuses an
// application what no ACL grants it.
import type { Policy } from './policy';

export type AclResourceType = 'topic' | 'group' | 'cluster' | 'transactional_id';
export type AclPatternType = 'literal' | 'prefixed';
export type AclOperation = 'all' | 'read' | 'write' | 'create' | 'delete' | 'alter' | 'describe' | 'cluster_action' | 'describe_configs' | 'alter_configs' | 'idempotent_write';
export type AclPermission = 'allow' | 'deny';

export interface AclBinding {
  readonly resourceType: AclResourceType;
  readonly patternType: AclPatternType;
  readonly name: string;
  readonly principal: string;
  readonly host: string;
  readonly operation: AclOperation;
  readonly permission: AclPermission;
}

/** The principal the platform's plaintext listener gives every connection. */
export const PLATFORM_PRINCIPAL = 'User:ANONYMOUS';
/** Kafka's name for the cluster resource. */
export const KAFKA_CLUSTER_RESOURCE = 'kafka-cluster';

export function principalOf(application: string): string {
  return `User:${application}`;
}

/** The application a principal names, or undefined for the platform, the wildcard and other kinds. */
export function applicationOfPrincipal(principal: string): string | undefined {
  if (!principal.startsWith('User:') || principal === PLATFORM_PRINCIPAL || principal === 'User:*') return undefined;
  return principal.slice('User:'.length);
}

/** The consumer groups an application may use through Kafka: `<application>.` and anything after it. */
export function groupPrefixOf(application: string): string {
  return `${application}.`;
}

const binding = (resourceType: AclResourceType, patternType: AclPatternType, name: string, principal: string, operation: AclOperation, permission: AclPermission): AclBinding => ({
  resourceType,
  patternType,
  name,
  principal,
  host: '*',
  operation,
  permission,
});

/** ALLOW ALL for the platform on every topic, group, transactional id and the cluster. */
export function platformAcls(): AclBinding[] {
  return [
    binding('topic', 'literal', '*', PLATFORM_PRINCIPAL, 'all', 'allow'),
    binding('group', 'literal', '*', PLATFORM_PRINCIPAL, 'all', 'allow'),
    binding('transactional_id', 'literal', '*', PLATFORM_PRINCIPAL, 'all', 'allow'),
    binding('cluster', 'literal', KAFKA_CLUSTER_RESOURCE, PLATFORM_PRINCIPAL, 'all', 'allow'),
  ];
}

const TOPIC_OPERATIONS: Readonly<Record<Policy['verb'], readonly AclOperation[]>> = {
  // produce; WRITE implies DESCRIBE for metadata, named anyway so the ACL list reads plainly.
  PUT: ['write', 'describe'],
  // consume
  GET: ['read', 'describe'],
  // create and alter topics
  POST: ['create', 'alter', 'alter_configs', 'describe_configs'],
  DELETE: ['delete'],
  '*': ['all'],
};

export interface PolicyAcls {
  readonly bindings: readonly AclBinding[];
  /** Why the policy is not (or not exactly) what the brokers hold; undefined when it is. */
  readonly note?: string;
}

/**
 * The ACLs one policy becomes. Kafka matches a topic by its whole name (literal), by a prefix, or
 * every topic (`*`), so a pattern with a `*` in the middle (`/topics/*.eu`) has no exact ACL: an
 * allow is left out (the brokers refuse what they cannot check: the narrower side) and a deny
 * widens to the prefix before its first `*` (the safe side). Either way the note says so.
 * Resources other than topics (`/clusters/...`) mean nothing to a broker and give no ACLs.
 */
export function aclsForPolicy(policy: Policy): PolicyAcls {
  const topics = topicPatternOf(policy.resource);
  if (topics === undefined) return { bindings: [] };
  const principal = principalOf(policy.application);
  let pattern: { patternType: AclPatternType; name: string } | undefined = topics.pattern;
  let note: string | undefined;
  if (topics.inexact) {
    if (policy.effect === 'allow') {
      pattern = undefined;
      note = `${describe(policy)}: Kafka ACLs match a topic by name, prefix or all topics, not ${policy.resource}; the brokers refuse it (the proxy allows it)`;
    } else {
      note = `${describe(policy)}: widened at the brokers to ${pattern.patternType === 'prefixed' ? `every topic starting "${pattern.name}"` : 'every topic'}`;
    }
  }
  const bindings: AclBinding[] = [];
  if (pattern) {
    for (const operation of TOPIC_OPERATIONS[policy.verb]) bindings.push(binding('topic', pattern.patternType, pattern.name, principal, operation, policy.effect));
  }
  if (policy.effect === 'allow' && (policy.verb === 'GET' || policy.verb === '*') && pattern) {
    bindings.push(binding('group', 'prefixed', groupPrefixOf(policy.application), principal, 'read', 'allow'));
  }
  return note === undefined ? { bindings } : { bindings, note };
}

/** Every policy's ACLs, without repeats, with the notes of those that are not exact. */
export function aclsForPolicies(policies: readonly Policy[]): { bindings: AclBinding[]; notes: string[] } {
  const byKey = new Map<string, AclBinding>();
  const notes: string[] = [];
  for (const policy of policies) {
    const acls = aclsForPolicy(policy);
    for (const b of acls.bindings) byKey.set(aclKey(b), b);
    if (acls.note) notes.push(acls.note);
  }
  return { bindings: [...byKey.values()].sort((a, b) => aclKey(a).localeCompare(aclKey(b))), notes };
}

/** One string per binding, equal exactly when the bindings are. */
export function aclKey(b: AclBinding): string {
  return [b.resourceType, b.patternType, b.name, b.principal, b.host, b.operation, b.permission].join('|');
}

/**
 * The topic side of a resource pattern: `/topics/orders` → literal, `/topics/payments.*` →
 * prefix `payments.`, `/topics/*`, `/topics/**` and `/**` → every topic; undefined when the
 * pattern is not about topics.
 */
function topicPatternOf(resource: string): { pattern: { patternType: AclPatternType; name: string }; inexact: boolean } | undefined {
  let rest: string;
  if (resource === '/**') rest = '*';
  else if (resource.startsWith('/topics/')) rest = resource.slice('/topics/'.length);
  else if (resource.startsWith('/**/') || resource.startsWith('/*/')) rest = resource.slice(resource.indexOf('/', 1) + 1);
  else return undefined;
  // Topic names have no "/": past the topics segment, * and ** match the same names.
  const star = rest.indexOf('*');
  if (star === -1) return { pattern: { patternType: 'literal', name: rest }, inexact: false };
  const prefix = rest.slice(0, star);
  const inexact = rest.slice(star).replace(/\*/g, '') !== '';
  return { pattern: prefix === '' ? { patternType: 'literal', name: '*' } : { patternType: 'prefixed', name: prefix }, inexact };
}

function describe(policy: Policy): string {
  return `${policy.effect} ${policy.application} ${policy.verb} ${policy.resource}`;
}
