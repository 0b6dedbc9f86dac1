// The audit log: one entry per change, written by the caller in the same transaction as the
// change (pass the transaction as `db`), so the log and the state never disagree.
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { parseInput } from './parse-input';
import { auditLog, auditQuerySchema, newAuditEntrySchema } from './schema/audit-log';
import type { AuditEntry, AuditQuery, NewAuditEntry } from './schema/audit-log';

export interface AuditLogRepository {
  /** Appends an entry stamped with the transaction's time, and returns it with its id. */
  record(entry: NewAuditEntry): Promise<AuditEntry>;
  /**
   * Entries newest first: at most `limit` (100 unless given, 1000 at most), only about `target`
   * when given, and only older than entry `before` when given, for paging on from the last id.
   */
  list(query?: AuditQuery): Promise<AuditEntry[]>;
}

export function createAuditLogRepository(db: Database): AuditLogRepository {
  return {
    record: (input) =>
      guard(async () => {
        const entry = parseInput(newAuditEntrySchema, input, describeEntry(input));
        const [recorded] = await db.insert(auditLog).values(entry).returning();
        if (!recorded) throw new Error(`the audit entry for ${entry.action} was not returned`);
        return recorded;
      }),

    list: (input = {}) =>
      guard(() => {
        const query = parseInput(auditQuerySchema, input, 'audit log query');
        // Ids grow with every insert, and entries of one transaction share their time, so the id
        // is what orders them.
        return db
          .select()
          .from(auditLog)
          .where(
            and(
              query.target === undefined ? undefined : eq(auditLog.target, query.target),
              query.before === undefined ? undefined : lt(auditLog.id, query.before),
            ),
          )
          .orderBy(desc(auditLog.id))
          .limit(query.limit);
      }),
  };
}

function describeEntry(input: unknown): string {
  const action: unknown = typeof input === 'object' && input !== null ? Reflect.get(input, 'action') : undefined;
  return typeof action === 'string' && action !== '' ? `audit entry "${action}"` : 'audit entry';
}
