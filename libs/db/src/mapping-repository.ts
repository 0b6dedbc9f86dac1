// Published mapping versions. Publishing takes the next number from the `mapping_head` row while
// holding that row's lock, in the same transaction as the insert: concurrent publishers queue on
// the lock, so versions are consecutive, none is lost, and exactly one is current (the head).
import { NotFoundError, ValidationError } from '@flotilla/errors';
import type { MappingDocument } from '@flotilla/mapping';
import { desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { mappingHead, mappingVersions } from './schema/mapping-versions';

export interface MappingVersion {
  readonly version: number;
  readonly document: MappingDocument;
  readonly author: string;
  readonly reason: string;
  readonly createdAt: Date;
}

export type MappingVersionSummary = Omit<MappingVersion, 'document'>;

export interface PublishInput {
  /** Builds the document for the number this publish gets, so `version` inside always matches. */
  readonly compose: (version: number) => MappingDocument | Promise<MappingDocument>;
  readonly author: string;
  readonly reason: string;
}

export interface MappingRepository {
  /** Publishes the next version. A compose that throws publishes nothing and uses up no number. */
  publish(input: PublishInput): Promise<MappingVersion>;
  /** The current version, or undefined before the first publish. */
  current(): Promise<MappingVersion | undefined>;
  /** The current version's number; 0 before the first publish. Cheap: one row. */
  currentVersion(): Promise<number>;
  /** A given version, or a NotFoundError. */
  get(version: number): Promise<MappingVersion>;
  /** Newest first, without documents; `before` pages back. */
  history(options?: { readonly limit?: number; readonly before?: number }): Promise<MappingVersionSummary[]>;
}

export function createMappingRepository(db: Database): MappingRepository {
  const currentVersion = async (): Promise<number> => {
    const [head] = await db.select({ version: mappingHead.version }).from(mappingHead).where(eq(mappingHead.id, 1));
    return head?.version ?? 0;
  };
  const get = async (version: number): Promise<MappingVersion | undefined> => {
    const [row] = await db.select().from(mappingVersions).where(eq(mappingVersions.version, version));
    return row && toVersion(row);
  };

  return {
    publish: (input) =>
      guard(() =>
        db.transaction(async (tx) => {
          // The upsert both creates the head on the first publish and takes its row lock.
          const [head] = await tx
            .insert(mappingHead)
            .values({ id: 1, version: 1 })
            .onConflictDoUpdate({ target: mappingHead.id, set: { version: sql`${mappingHead.version} + 1` } })
            .returning({ version: mappingHead.version });
          if (!head) throw new Error('mapping head upsert returned no row');
          const document = await input.compose(head.version);
          if (document.version !== head.version) {
            throw new ValidationError(`invalid mapping: version: expected ${head.version} (the next number), got ${document.version}`, { field: 'version' });
          }
          const [row] = await tx
            .insert(mappingVersions)
            .values({ version: head.version, document: { ...document }, author: input.author, reason: input.reason })
            .returning();
          if (!row) throw new Error('mapping version insert returned no row');
          return toVersion(row);
        }),
      ),

    current: () =>
      guard(async () => {
        const version = await currentVersion();
        return version === 0 ? undefined : get(version);
      }),

    currentVersion: () => guard(currentVersion),

    get: (version) =>
      guard(async () => {
        const found = Number.isSafeInteger(version) && version > 0 ? await get(version) : undefined;
        if (!found) throw new NotFoundError('mapping version', String(version));
        return found;
      }),

    history: (options = {}) =>
      guard(async () => {
        const limit = Math.min(Math.max(options.limit ?? 50, 1), 1_000);
        const rows = await db
          .select({
            version: mappingVersions.version,
            author: mappingVersions.author,
            reason: mappingVersions.reason,
            createdAt: mappingVersions.createdAt,
          })
          .from(mappingVersions)
          .where(options.before === undefined ? undefined : lt(mappingVersions.version, options.before))
          .orderBy(desc(mappingVersions.version))
          .limit(limit);
        return rows;
      }),
  };
}

function toVersion(row: typeof mappingVersions.$inferSelect): MappingVersion {
  // Written only by publish, from a validated document.
  return { version: row.version, document: row.document as unknown as MappingDocument, author: row.author, reason: row.reason, createdAt: row.createdAt };
}
