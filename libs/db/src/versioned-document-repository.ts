// The repository of one kind of versioned document (schema/versioned-documents.ts): publishing
// takes the next number from the head row while holding that row's lock, in the same transaction
// as the insert, so versions are consecutive, none is lost, and exactly one is current (the head).
import { NotFoundError, ValidationError } from '@flotilla/errors';
import { desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import type { VersionedDocumentTables } from './schema/versioned-documents';

export interface VersionedDocument<Document> {
  readonly version: number;
  readonly document: Document;
  readonly author: string;
  readonly reason: string;
  readonly createdAt: Date;
}

export type VersionSummary = Omit<VersionedDocument<unknown>, 'document'>;

export interface PublishDocument<Document> {
  /** Builds the document for the number this publish gets, so `version` inside always matches. */
  readonly compose: (version: number) => Document | Promise<Document>;
  readonly author: string;
  readonly reason: string;
}

export interface VersionedDocumentRepository<Document> {
  /** Publishes the next version. A compose that throws publishes nothing and uses up no number. */
  publish(input: PublishDocument<Document>): Promise<VersionedDocument<Document>>;
  /** The current version, or undefined before the first publish. */
  current(): Promise<VersionedDocument<Document> | undefined>;
  /** The current version's number; 0 before the first publish. Cheap: one row. */
  currentVersion(): Promise<number>;
  /** A given version, or a NotFoundError. */
  get(version: number): Promise<VersionedDocument<Document>>;
  /** Newest first, without documents; `before` pages back. */
  history(options?: { readonly limit?: number; readonly before?: number }): Promise<VersionSummary[]>;
}

export interface VersionedDocumentKind {
  /** What a document is called in errors: `mapping`, `route set`. */
  readonly what: string;
}

export function createVersionedDocumentRepository<Document extends { readonly version: number }>(
  db: Database,
  tables: VersionedDocumentTables,
  kind: VersionedDocumentKind,
): VersionedDocumentRepository<Document> {
  const { versions, head: headTable } = tables;
  // Written only by publish, from a document its caller validated.
  const toVersion = (row: typeof versions.$inferSelect): VersionedDocument<Document> => ({
    version: row.version,
    document: row.document as unknown as Document,
    author: row.author,
    reason: row.reason,
    createdAt: row.createdAt,
  });
  const currentVersion = async (): Promise<number> => {
    const [head] = await db.select({ version: headTable.version }).from(headTable).where(eq(headTable.id, 1));
    return head?.version ?? 0;
  };
  const get = async (version: number): Promise<VersionedDocument<Document> | undefined> => {
    const [row] = await db.select().from(versions).where(eq(versions.version, version));
    return row && toVersion(row);
  };

  return {
    publish: (input) =>
      guard(() =>
        db.transaction(async (tx) => {
          // The upsert both creates the head on the first publish and takes its row lock.
          const [head] = await tx
            .insert(headTable)
            .values({ id: 1, version: 1 })
            .onConflictDoUpdate({ target: headTable.id, set: { version: sql`${headTable.version} + 1` } })
            .returning({ version: headTable.version });
          if (!head) throw new Error(`${kind.what} head upsert returned no row`);
          const document = await input.compose(head.version);
          if (document.version !== head.version) {
            throw new ValidationError(`invalid ${kind.what}: version: expected ${head.version} (the next number), got ${document.version}`, { field: 'version' });
          }
          const [row] = await tx
            .insert(versions)
            .values({ version: head.version, document: { ...document }, author: input.author, reason: input.reason })
            .returning();
          if (!row) throw new Error(`${kind.what} version insert returned no row`);
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
        if (!found) throw new NotFoundError(`${kind.what} version`, String(version));
        return found;
      }),

    history: (options = {}) =>
      guard(async () => {
        const limit = Math.min(Math.max(options.limit ?? 50, 1), 1_000);
        return db
          .select({ version: versions.version, author: versions.author, reason: versions.reason, createdAt: versions.createdAt })
          .from(versions)
          .where(options.before === undefined ? undefined : lt(versions.version, options.before))
          .orderBy(desc(versions.version))
          .limit(limit);
      }),
  };
}
