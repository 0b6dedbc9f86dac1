// Per-application rate limits, enforced by the proxy and pushed to brokers that can enforce
// them. No row means no limit.
import { NotFoundError } from '@flotilla/errors';
import { asc, eq, sql } from 'drizzle-orm';
import { requireApplication } from './application-repository';
import type { Database } from './create-db';
import { guard } from './database-error';
import { parseInput } from './parse-input';
import { quotaSchema, quotas } from './schema/quotas';
import type { Quota, QuotaInput } from './schema/quotas';

export interface QuotaRepository {
  /**
   * Sets the application's whole quota, replacing any before it: a limit left out or null is
   * lifted. Limits are whole numbers of at least 1; an unknown application is a NotFoundError.
   */
  set(quota: QuotaInput): Promise<Quota>;
  /** The application's quota, or undefined when it has none (no limits). */
  get(application: string): Promise<Quota | undefined>;
  /** Every quota, by application. */
  list(): Promise<Quota[]>;
  /** Lifts every limit of the application; one without a quota is a NotFoundError. */
  remove(application: string): Promise<Quota>;
}

export function createQuotaRepository(db: Database): QuotaRepository {
  return {
    set: (input) =>
      guard(async () => {
        const quota = parseInput(quotaSchema, input, describeQuota(input));
        await requireApplication(db, quota.application);
        const limits = { bytesPerSecond: quota.bytesPerSecond ?? null, requestsPerSecond: quota.requestsPerSecond ?? null };
        const [stored] = await db
          .insert(quotas)
          .values({ application: quota.application, ...limits })
          .onConflictDoUpdate({ target: quotas.application, set: { ...limits, updatedAt: sql`now()` } })
          .returning();
        // An upsert always returns its row; an empty answer would be a driver bug.
        if (!stored) throw new Error(`the quota upsert for "${quota.application}" returned no row`);
        return stored;
      }),

    get: (application) =>
      guard(async () => {
        const [quota] = await db.select().from(quotas).where(eq(quotas.application, application));
        return quota;
      }),

    list: () => guard(() => db.select().from(quotas).orderBy(asc(quotas.application))),

    remove: (application) =>
      guard(async () => {
        const [removed] = await db.delete(quotas).where(eq(quotas.application, application)).returning();
        if (!removed) throw new NotFoundError('quota', application);
        return removed;
      }),
  };
}

function describeQuota(input: unknown): string {
  const application: unknown = typeof input === 'object' && input !== null ? Reflect.get(input, 'application') : undefined;
  return typeof application === 'string' && application !== '' ? `quota for application "${application}"` : 'quota';
}
