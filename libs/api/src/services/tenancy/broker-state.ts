// What the brokers of every cluster should hold for tenancy, composed from the registry, and the
// difference from what one cluster holds. Pure, so the diff a dry run prints is the one applied.
//
// Scope: this management owns the cluster's SCRAM users and every ACL of an application principal
// (`User:<app>`), plus the platform's wildcard ACLs. Other ACLs (a move's fence on one topic) are
// never touched.
import { aclKey, aclsForPolicies, applicationOfPrincipal, platformAcls, type AclBinding, type Policy } from '@flotilla/auth';
import { createHmac } from 'node:crypto';

/** Kafka client-quota keys management sets, per application. */
export const QUOTA_KEYS = ['producer_byte_rate', 'consumer_byte_rate'] as const;

export interface DesiredBrokerState {
  readonly acls: readonly AclBinding[];
  /** Applications with a Kafka credential, each with its current password. */
  readonly users: ReadonlyMap<string, string>;
  readonly quotas: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Policies and quotas the brokers cannot hold exactly, said once per sync. */
  readonly notes: readonly string[];
}

export interface ActualBrokerState {
  readonly acls: readonly AclBinding[];
  readonly users: readonly string[];
  readonly quotas: readonly { readonly user: string; readonly quotas: Readonly<Record<string, number>> }[];
}

export interface QuotaChange {
  readonly user: string;
  readonly set: Record<string, number>;
  readonly remove: string[];
}

export interface BrokerDiff {
  readonly createAcls: AclBinding[];
  readonly deleteAcls: AclBinding[];
  /** Users to install (missing, or asked to be rewritten after a rotation). */
  readonly upsertUsers: string[];
  readonly deleteUsers: string[];
  readonly quotas: QuotaChange[];
}

export interface RegistryTenancy {
  readonly credentials: readonly { readonly application: string; readonly generation: number }[];
  readonly policies: readonly Policy[];
  readonly quotas: readonly { readonly application: string; readonly bytesPerSecond: number | null; readonly requestsPerSecond: number | null }[];
}

/**
 * An application's Kafka password at a generation: derived from management's secret key, so
 * nothing secret is stored and any cluster, also one registered later, can be given it again.
 */
export function kafkaPassword(secretKey: Buffer, application: string, generation: number): string {
  return createHmac('sha256', secretKey).update(`flotilla-kafka-scram\0${application}\0${generation}`).digest('base64url');
}

export function composeBrokerState(secretKey: Buffer, registry: RegistryTenancy): DesiredBrokerState {
  const withCredential = new Set(registry.credentials.map((c) => c.application));
  // An application without a Kafka credential cannot connect, so its ACLs would only be noise.
  const policies = registry.policies.filter((p) => withCredential.has(p.application));
  const { bindings, notes } = aclsForPolicies(policies);
  const users = new Map(registry.credentials.map((c) => [c.application, kafkaPassword(secretKey, c.application, c.generation)]));
  const quotas = new Map<string, Record<string, number>>();
  const quotaNotes: string[] = [];
  for (const quota of registry.quotas) {
    if (!withCredential.has(quota.application)) continue;
    if (quota.bytesPerSecond !== null) quotas.set(quota.application, { producer_byte_rate: quota.bytesPerSecond, consumer_byte_rate: quota.bytesPerSecond });
    if (quota.requestsPerSecond !== null) {
      quotaNotes.push(`quota of ${quota.application}: ${quota.requestsPerSecond} requests/s has no broker equivalent (Kafka limits a share of broker time, not a rate); the proxy enforces it`);
    }
  }
  return { acls: [...platformAcls(), ...bindings], users, quotas, notes: [...notes, ...quotaNotes] };
}

/** What to change on a cluster holding `actual` so that it holds `desired`; `rewrite` users are upserted even when present. */
export function diffBrokerState(desired: DesiredBrokerState, actual: ActualBrokerState, rewrite: readonly string[] = []): BrokerDiff {
  const desiredAcls = new Map(desired.acls.map((b) => [aclKey(b), b]));
  const actualAcls = new Map(actual.acls.map((b) => [aclKey(b), b]));
  const createAcls = [...desiredAcls].filter(([key]) => !actualAcls.has(key)).map(([, b]) => b);
  const deleteAcls = [...actualAcls].filter(([key, b]) => !desiredAcls.has(key) && applicationOfPrincipal(b.principal) !== undefined).map(([, b]) => b);

  const present = new Set(actual.users);
  const upsertUsers = [...desired.users.keys()].filter((user) => !present.has(user) || rewrite.includes(user)).sort();
  const deleteUsers = actual.users.filter((user) => !desired.users.has(user)).sort();

  const quotas: QuotaChange[] = [];
  const actualQuotas = new Map(actual.quotas.map((q) => [q.user, q.quotas]));
  for (const user of new Set([...desired.quotas.keys(), ...actualQuotas.keys()])) {
    const want = desired.quotas.get(user) ?? {};
    const have = actualQuotas.get(user) ?? {};
    const set: Record<string, number> = {};
    const remove: string[] = [];
    for (const key of QUOTA_KEYS) {
      if (want[key] !== undefined && want[key] !== have[key]) set[key] = want[key];
      if (want[key] === undefined && have[key] !== undefined) remove.push(key);
    }
    if (Object.keys(set).length > 0 || remove.length > 0) quotas.push({ user, set, remove });
  }
  return { createAcls, deleteAcls, upsertUsers, deleteUsers, quotas: quotas.sort((a, b) => a.user.localeCompare(b.user)) };
}

export function isEmptyDiff(diff: BrokerDiff): boolean {
  return diff.createAcls.length + diff.deleteAcls.length + diff.upsertUsers.length + diff.deleteUsers.length + diff.quotas.length === 0;
}
