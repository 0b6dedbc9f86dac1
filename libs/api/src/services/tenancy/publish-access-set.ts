// Publishes the next access set, composed from the registry as it stands inside the transaction of
// the tenancy change that causes it. The state is read after the head row is locked, so of two
// concurrent changes the second composes from a state that includes the first, and neither is lost.
import { inTransaction, type AccessSetVersion, type Database, type Registry } from '@flotilla/db';
import type { Audit, AuditNote } from '../../audit/audited-changes';
import type { WriteContext } from '../../context';
import { composeAccessSet, sameAccess, type AccessState } from './access-set';

export interface AccessSetPublish {
  readonly author: string;
  readonly reason: string;
}

export function publishAccessSet(registry: Registry, { author, reason }: AccessSetPublish): Promise<AccessSetVersion> {
  return registry.access.publish({ author, reason, compose: async (version) => composeAccessSet(version, await readAccessState(registry)) });
}

async function readAccessState(registry: Registry): Promise<AccessState> {
  // One after another: inside a transaction they share one connection anyway.
  const applications = await registry.applications.list();
  const credentials = await registry.credentials.listActive();
  const policies = await registry.policies.listAll();
  const quotas = await registry.quotas.list();
  return { applications, credentials, policies, quotas };
}

/**
 * A tenancy change: its writes, its audit entries and the next access set in one transaction,
 * then pushed to this process's followers (others poll the head). `reason` is the version's.
 */
export async function changeTenancy<T>({ changes, services }: WriteContext, reason: string, change: (tx: Registry, audit: Audit) => Promise<T>): Promise<T> {
  const result = await changes.run(async (tx, audit) => {
    const changed = await change(tx, audit);
    await publishAccessSet(tx, { author: changes.actor, reason });
    return changed;
  });
  await services.accessSetFeed?.refresh();
  await followedByBrokers(services);
  return result;
}

/** How long a tenancy change waits for the brokers before it answers; the sync goes on after. */
const BROKER_SYNC_WAIT_MS = 2_000;

/**
 * The brokers follow before the caller hears back (usually within a few hundred milliseconds), so
 * a revocation is in force when it returns; an unreachable cluster does not hold the answer longer
 * than BROKER_SYNC_WAIT_MS. What fails is logged by the sync and repaired by its next run.
 */
export async function followedByBrokers(services: WriteContext['services']): Promise<void> {
  const sync = services.brokerSync?.request().catch((error: unknown) => services.logger.warn({ reason: (error as Error).message }, 'broker tenancy sync failed'));
  if (!sync) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([sync, new Promise<void>((resolve) => (timer = setTimeout(resolve, BROKER_SYNC_WAIT_MS)))]);
  clearTimeout(timer);
}

/** `changeTenancy` for one write and the audit entry that describes what it returned. */
export function writeTenancy<T>(context: WriteContext, reason: string, change: (tx: Registry) => Promise<T>, describe: (result: T) => AuditNote): Promise<T> {
  return changeTenancy(context, reason, async (tx, audit) => {
    const written = await change(tx);
    await audit(describe(written));
    return written;
  });
}

/**
 * At start: publishes an access set when none exists, or when the registry grants something else
 * than the current one (credentials issued at start-up, changes written before access sets
 * existed), so a proxy that connects gets a document at once and a true one.
 */
export function ensureAccessSet(db: Database, author: string): Promise<AccessSetVersion | undefined> {
  // One transaction: the document is composed through it, and PGlite has one connection.
  return inTransaction(db, async (tx) => {
    const current = await tx.access.current();
    if (current && sameAccess(current.document, composeAccessSet(current.version, await readAccessState(tx)))) return undefined;
    return publishAccessSet(tx, { author, reason: current ? 'the registry changed outside the API' : 'first access set' });
  });
}
