// Tenancy at one cluster's brokers: applications' SCRAM-SHA-512 credentials, ACLs and client
// quotas. kafkajs has ACL calls; the rest goes over its connections with hand-written requests
// (kafkajs-wire.ts). Errors name the user, binding or entity and Kafka's name for the refusal.
import type { Admin, Kafka } from 'kafkajs';
import { compareStrings, ValidationError } from '@flotilla/errors';
import { retry } from '@flotilla/retry';
import { toFlotillaError } from '../kafka-errors';
import { ANY_ACL, aclBindingKey, fromDescribedAcls, showAclBinding, toKafkajsAcl, type AclBinding } from './acl-binding';
import { alterClientQuotas, describeUserClientQuotas, type QuotaEntryChange } from './client-quotas-wire';
import { KafkaRefusal, clusterOf, onEveryBroker, sendToAnyBroker, sendToEveryBroker, type WireCluster } from './kafkajs-wire';
import { SCRAM_SHA_512, alterUserScramCredentials, describeUserScramCredentials, type ScramCredential, type UserResult } from './scram-credentials-wire';
import { checkIterations } from './scram-secret';

/** Kafka's client-quota keys for a user; byte rates are per broker, request_percentage is % of one thread. */
export const USER_QUOTA_KEYS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'] as const;

export interface UserQuotas {
  user: string;
  quotas: Record<string, number>;
}

export interface KafkaTenancyAdmin {
  /** Creates or replaces SCRAM-SHA-512 credentials; a user's open connections keep theirs until they re-authenticate. */
  upsertScramCredentials(credentials: readonly ScramCredential[]): Promise<void>;
  /** Deletes users' SCRAM-SHA-512 credentials; a user without one is not an error. */
  deleteScramCredentials(users: readonly string[]): Promise<void>;
  /** Users with a SCRAM-SHA-512 credential (all of them, or those of `users` that have one), sorted. */
  describeScramCredentials(users?: readonly string[]): Promise<{ user: string; iterations: number }[]>;
  /**
   * Resolves once every broker of the cluster has (or, with `present` false, no longer has) the
   * user's credential: brokers learn of it from the metadata log, each at its own pace.
   */
  waitForScramCredential(user: string, present: boolean, timeoutMs?: number): Promise<void>;
  /** Every ACL on topics, groups, transactional ids and the cluster, sorted. */
  listAcls(): Promise<AclBinding[]>;
  /** Creates the ACLs; an ACL that exists already is left as it is. */
  createAcls(bindings: readonly AclBinding[]): Promise<void>;
  /** Deletes exactly these ACLs (no pattern matching); an absent one is not an error. */
  deleteAcls(bindings: readonly AclBinding[]): Promise<void>;
  /** Resolves once every broker's authorizer holds (or no longer holds) every one of the ACLs. */
  waitForAcls(bindings: readonly AclBinding[], present: boolean, timeoutMs?: number): Promise<void>;
  /** Every user with a client quota of its own (not the default user), sorted. */
  describeUserQuotas(): Promise<UserQuotas[]>;
  /** Sets and removes users' quota keys (USER_QUOTA_KEYS); keys not named stay as they are. */
  alterUserQuotas(entries: readonly QuotaEntryChange[]): Promise<void>;
}

// Propagation through the metadata log takes milliseconds on a healthy cluster: poll briskly.
const WAIT_BACKOFF = { initialMs: 25, maxMs: 250 };

/** The tenancy calls on the cluster `kafka` points at; `close` disconnects what they opened. */
export function createTenancyAdmin(kafka: Kafka, admin: Admin, where: string): KafkaTenancyAdmin & { close(): Promise<void> } {
  let cluster: WireCluster | undefined;
  const wire = (): WireCluster => (cluster ??= clusterOf(kafka));
  const guard = async <T>(context: string, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      throw toFlotillaError(error, `${context} on ${where}`);
    }
  };
  const waitUntil = (what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> =>
    guard(`wait until ${what}`, () =>
      retry(
        async () => {
          if (!(await done())) throw new Error(`not so after ${timeoutMs} ms`);
        },
        { backoff: WAIT_BACKOFF, deadline: Date.now() + timeoutMs },
      ),
    );

  return {
    async upsertScramCredentials(credentials) {
      if (credentials.length === 0) return;
      credentials.forEach((c, i) => {
        checkUser(c.user, `credentials[${i}].user`);
        checkIterations(c.iterations, `credentials[${i}].iterations`);
      });
      checkDistinct(credentials.map((c) => c.user));
      const users = credentials.map((c) => c.user);
      await guard(`upsert the SCRAM-SHA-512 credentials of ${showUsers(users)}`, async () => {
        const { results } = await sendToAnyBroker(wire(), alterUserScramCredentials([], credentials));
        throwFailures(results, () => false);
      });
    },
    async deleteScramCredentials(users) {
      if (users.length === 0) return;
      users.forEach((user, i) => checkUser(user, `users[${i}]`));
      checkDistinct(users);
      await guard(`delete the SCRAM-SHA-512 credentials of ${showUsers(users)}`, async () => {
        const { results } = await sendToAnyBroker(wire(), alterUserScramCredentials(users, []));
        throwFailures(results, (code) => code === RESOURCE_NOT_FOUND);
      });
    },
    async describeScramCredentials(users) {
      if (users?.length === 0) return [];
      return guard(`describe the SCRAM credentials of ${users ? showUsers(users) : 'every user'}`, async () => {
        const response = await sendToAnyBroker(wire(), describeUserScramCredentials(users ?? null));
        return scramUsersOf(response);
      });
    },
    async waitForScramCredential(user, present, timeoutMs = 10_000) {
      checkUser(user, 'user');
      await waitUntil(`every broker ${present ? 'has' : 'has dropped'} the SCRAM-SHA-512 credential of "${user}"`, timeoutMs, async () => {
        const answers = await sendToEveryBroker(wire(), () => describeUserScramCredentials([user]));
        return answers.every((answer) => scramUsersOf(answer).some((c) => c.user === user) === present);
      });
    },
    async listAcls() {
      const { resources } = await guard('list ACLs', () => admin.describeAcls(ANY_ACL));
      return fromDescribedAcls(resources);
    },
    async createAcls(bindings) {
      if (bindings.length === 0) return;
      await guard(`create ACLs ${showBindings(bindings)}`, () => admin.createAcls({ acl: bindings.map(toKafkajsAcl) }));
    },
    async deleteAcls(bindings) {
      if (bindings.length === 0) return;
      await guard(`delete ACLs ${showBindings(bindings)}`, () => admin.deleteAcls({ filters: bindings.map(toKafkajsAcl) }));
    },
    async waitForAcls(bindings, present, timeoutMs = 10_000) {
      if (bindings.length === 0) return;
      const wanted = bindings.map(aclBindingKey);
      await waitUntil(`every broker ${present ? 'holds' : 'has dropped'} ACLs ${showBindings(bindings)}`, timeoutMs, async () => {
        const held = await onEveryBroker(wire(), async (broker) => new Set(fromDescribedAcls((await broker.describeAcls(ANY_ACL)).resources).map(aclBindingKey)));
        return held.every((keys) => wanted.every((key) => keys.has(key) === present));
      });
    },
    async describeUserQuotas() {
      return guard('describe the client quotas of users', async () => {
        const response = await sendToAnyBroker(wire(), describeUserClientQuotas());
        if (response.errorCode !== 0) throw new KafkaRefusal(response.errorCode, response.errorMessage);
        return response.entries
          .flatMap(({ user, values }) => (user === null ? [] : [{ user, quotas: values }]))
          .sort((a, b) => compareStrings(a.user, b.user));
      });
    },
    async alterUserQuotas(entries) {
      const changes = entries.filter((e) => Object.keys(e.set).length + e.remove.length > 0);
      if (changes.length === 0) return;
      changes.forEach(checkQuotaChange);
      checkDistinct(changes.map((e) => e.user));
      await guard(`alter the client quotas of ${showUsers(changes.map((e) => e.user))}`, async () => {
        const { entries: results } = await sendToAnyBroker(wire(), alterClientQuotas(changes));
        throwFailures(
          results.map((r, i) => ({ user: r.user ?? changes[i]?.user ?? '?', errorCode: r.errorCode, errorMessage: r.errorMessage })),
          () => false,
        );
      });
    },
    async close() {
      await cluster?.disconnect();
    },
  };
}

const RESOURCE_NOT_FOUND = 91;

function scramUsersOf(response: { errorCode: number; errorMessage: string | null; results: (UserResult & { credentials: { mechanism: number; iterations: number }[] })[] }) {
  if (response.errorCode !== 0) throw new KafkaRefusal(response.errorCode, response.errorMessage);
  // An unknown user is a result with RESOURCE_NOT_FOUND: it simply has no credential.
  throwFailures(response.results, (code) => code === RESOURCE_NOT_FOUND);
  return response.results
    .flatMap(({ user, errorCode, credentials }) => {
      const sha512 = errorCode === 0 ? credentials.find((c) => c.mechanism === SCRAM_SHA_512) : undefined;
      return sha512 ? [{ user, iterations: sha512.iterations }] : [];
    })
    .sort((a, b) => compareStrings(a.user, b.user));
}

/** Throws one error naming every user Kafka refused (but those `ignore` lets pass), typed by the first refusal. */
function throwFailures(results: readonly UserResult[], ignore: (code: number) => boolean): void {
  const failed = results.filter((r) => r.errorCode !== 0 && !ignore(r.errorCode));
  const [first] = failed;
  if (first === undefined) return;
  const each = failed.map((r) => `"${r.user}": ${new KafkaRefusal(r.errorCode, r.errorMessage).message}`);
  throw new KafkaRefusal(first.errorCode, first.errorMessage, each.join('; '));
}

function checkUser(user: string, field: string): void {
  if (typeof user !== 'string' || user === '') throw new ValidationError(`${field}: a Kafka user name must not be empty, got ${JSON.stringify(user)}`, { field });
}

/** Kafka refuses a request that names a user twice (DUPLICATE_RESOURCE), so say which one first. */
function checkDistinct(users: readonly string[]): void {
  const seen = new Set<string>();
  for (const user of users) {
    if (seen.has(user)) throw new ValidationError(`user "${user}" is named twice; Kafka takes one change per user and request`, { field: 'user' });
    seen.add(user);
  }
}

function checkQuotaChange(entry: QuotaEntryChange, i: number): void {
  checkUser(entry.user, `entries[${i}].user`);
  for (const [key, value] of Object.entries(entry.set)) {
    checkQuotaKey(key, `entries[${i}].set.${key}`);
    if (!Number.isFinite(value) || value <= 0) {
      throw new ValidationError(`entries[${i}].set.${key}: a quota must be a number above 0, got ${value}`, { field: `entries[${i}].set.${key}` });
    }
    if (key !== 'request_percentage' && !Number.isInteger(value)) {
      throw new ValidationError(`entries[${i}].set.${key}: a byte rate is a whole number of bytes per second, got ${value}`, { field: `entries[${i}].set.${key}` });
    }
  }
  entry.remove.forEach((key, k) => checkQuotaKey(key, `entries[${i}].remove[${k}]`));
  const both = entry.remove.find((key) => key in entry.set);
  if (both !== undefined) throw new ValidationError(`entries[${i}]: "${both}" is both set and removed`, { field: `entries[${i}].remove` });
}

function checkQuotaKey(key: string, field: string): void {
  if (!(USER_QUOTA_KEYS as readonly string[]).includes(key)) {
    throw new ValidationError(`${field}: "${key}" is not a user quota key; expected one of ${USER_QUOTA_KEYS.join(', ')}`, { field });
  }
}

function showUsers(users: readonly string[]): string {
  const shown = users.slice(0, 5).map((u) => `"${u}"`);
  return users.length > 5 ? `${shown.join(', ')} and ${users.length - 5} more` : shown.join(', ');
}

function showBindings(bindings: readonly AclBinding[]): string {
  const shown = bindings.slice(0, 3).map(showAclBinding);
  return bindings.length > 3 ? `${shown.join('; ')} and ${bindings.length - 3} more` : shown.join('; ');
}

