// Keeps every active cluster's SCRAM users, ACLs and client quotas equal to the registry
// (broker-state.ts says what and why). It runs after each tenancy change, so a revoked credential
// or policy is refused by the brokers within a couple of seconds, and on a timer, which repairs
// drift (an ACL deleted by hand comes back, and is logged) and reaches clusters registered later.
// One sync at a time: a request during a run is served by one more run after it.
import type { AclBinding } from '@flotilla/auth';
import { createRegistry, type Database } from '@flotilla/db';
import type { Logger } from '@flotilla/observability';
import { composeBrokerState, diffBrokerState, isEmptyDiff, type BrokerDiff, type DesiredBrokerState } from './broker-state';

const SCRAM_ITERATIONS = 4096;

/** What the synchroniser needs of a cluster's admin client (@flotilla/kafka's KafkaAdmin). */
export interface BrokerTenancyAdmin {
  listAcls(): Promise<AclBinding[]>;
  createAcls(bindings: readonly AclBinding[]): Promise<void>;
  deleteAcls(bindings: readonly AclBinding[]): Promise<void>;
  describeScramCredentials(users?: string[]): Promise<{ user: string }[]>;
  upsertScramCredentials(credentials: { user: string; iterations: number; salt: Buffer; saltedPassword: Buffer }[]): Promise<void>;
  deleteScramCredentials(users: string[]): Promise<void>;
  describeUserQuotas(): Promise<{ user: string; quotas: Record<string, number> }[]>;
  alterUserQuotas(entries: { user: string; set: Record<string, number>; remove: string[] }[]): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerSyncOptions {
  readonly db: Database;
  readonly connect: (bootstrap: readonly string[]) => Promise<BrokerTenancyAdmin>;
  /** Management's secret key: applications' Kafka passwords are derived from it. */
  readonly secretKey: Buffer;
  readonly scramSecret: (password: string, iterations: number) => { salt: Buffer; saltedPassword: Buffer; iterations: number };
  readonly logger: Logger;
  /** How often the whole fleet is compared and repaired; 0 runs only on request. */
  readonly intervalMs: number;
}

export interface ClusterSyncReport {
  readonly cluster: string;
  readonly diff?: BrokerDiff;
  /** Why the cluster could not be read or changed; the next run tries again. */
  readonly error?: string;
}

export interface SyncReport {
  readonly dryRun: boolean;
  readonly clusters: ClusterSyncReport[];
  readonly notes: readonly string[];
}

export class BrokerSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SyncReport> | undefined;
  private pending: { promise: Promise<SyncReport>; rewrite: Set<string> } | undefined;
  private lastNotes = '';

  constructor(private readonly options: BrokerSyncOptions) {}

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.request().catch(() => undefined), this.options.intervalMs);
    this.timer.unref();
    void this.request().catch(() => undefined);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Syncs every active cluster; `rewrite` users get their (rotated) password installed even when present. */
  request(rewrite: readonly string[] = []): Promise<SyncReport> {
    if (!this.running) return this.begin(rewrite);
    if (!this.pending) {
      const names = new Set(rewrite);
      const promise = this.running.catch(() => undefined).then(() => {
        this.pending = undefined;
        return this.begin([...names]);
      });
      this.pending = { promise, rewrite: names };
    } else {
      for (const name of rewrite) this.pending.rewrite.add(name);
    }
    return this.pending.promise;
  }

  /** Compares every active cluster with the registry without changing anything. */
  dryRun(): Promise<SyncReport> {
    return this.sync(true, []);
  }

  private begin(rewrite: readonly string[]): Promise<SyncReport> {
    const run = this.sync(false, rewrite).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async sync(dryRun: boolean, rewrite: readonly string[]): Promise<SyncReport> {
    const registry = createRegistry(this.options.db);
    const [clusters, credentials, policies, quotas] = await Promise.all([registry.clusters.list(), registry.kafkaCredentials.list(), registry.policies.listAll(), registry.quotas.list()]);
    const desired = composeBrokerState(this.options.secretKey, { credentials, policies, quotas });
    const notes = desired.notes.join('\n');
    if (!dryRun && notes !== this.lastNotes && notes !== '') this.options.logger.warn({ notes: desired.notes }, 'policies the brokers cannot hold exactly');
    if (!dryRun) this.lastNotes = notes;
    // A failed cluster is skipped until it is back (failback makes it active again).
    const active = clusters.filter((c) => c.state === 'active' || c.state === 'draining');
    const reports = await Promise.all(active.map((cluster) => this.syncCluster(cluster.name, cluster.bootstrap, desired, dryRun, rewrite)));
    return { dryRun, clusters: reports, notes: desired.notes };
  }

  private async syncCluster(cluster: string, bootstrap: readonly string[], desired: DesiredBrokerState, dryRun: boolean, rewrite: readonly string[]): Promise<ClusterSyncReport> {
    let admin: BrokerTenancyAdmin | undefined;
    try {
      admin = await this.options.connect(bootstrap);
      const [acls, users, quotas] = await Promise.all([admin.listAcls(), admin.describeScramCredentials(), admin.describeUserQuotas()]);
      const diff = diffBrokerState(desired, { acls, users: users.map((u) => u.user), quotas }, rewrite);
      if (dryRun || isEmptyDiff(diff)) return { cluster, diff };
      await this.apply(admin, diff, desired);
      this.options.logger.info(
        { cluster, createdAcls: diff.createAcls.length, deletedAcls: diff.deleteAcls.length, upsertedUsers: diff.upsertUsers, deletedUsers: diff.deleteUsers, quotas: diff.quotas.map((q) => q.user) },
        'brokers brought in line with the registry',
      );
      return { cluster, diff };
    } catch (error) {
      const message = (error as Error).message;
      this.options.logger.warn({ cluster, reason: message }, 'broker tenancy sync failed; the next run retries');
      return { cluster, error: message };
    } finally {
      await admin?.close().catch(() => undefined);
    }
  }

  /** Revocations first (users, then ACLs), so nothing is allowed longer than it must be. */
  private async apply(admin: BrokerTenancyAdmin, diff: BrokerDiff, desired: DesiredBrokerState): Promise<void> {
    if (diff.deleteUsers.length > 0) await admin.deleteScramCredentials(diff.deleteUsers);
    if (diff.deleteAcls.length > 0) await admin.deleteAcls(diff.deleteAcls);
    if (diff.createAcls.length > 0) await admin.createAcls(diff.createAcls);
    if (diff.upsertUsers.length > 0) {
      await admin.upsertScramCredentials(
        diff.upsertUsers.map((user) => {
          const secret = this.options.scramSecret(desired.users.get(user) ?? '', SCRAM_ITERATIONS);
          return { user, ...secret };
        }),
      );
    }
    if (diff.quotas.length > 0) await admin.alterUserQuotas(diff.quotas);
  }
}
