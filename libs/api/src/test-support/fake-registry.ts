// Hand-built registries for unit tests of the API's services: only the repositories a test needs,
// and a transaction that keeps its writes (audit entries, operation rows) only when it commits, so
// a test sees what a rollback leaves. Integration tests run the same services on a real database.
import type { AuditEntry, NewAuditEntry, Operation, Registry } from '@flotilla/db';

export interface FakeDatabase {
  /** Audit entries committed, oldest first. */
  readonly audit: NewAuditEntry[];
  /** Operation rows committed. */
  readonly operations: Operation[];
  /** What happened inside transactions, in order, rolled back or not (`audit operations.topicMove`). */
  readonly steps: string[];
  /** A registry over the committed state, with the repositories given to `fakeDatabase`. */
  readonly registry: Registry;
  /** Runs `work` as one transaction: its audit entries and operation rows are kept only if it resolves. */
  transact<T>(work: (tx: Registry) => Promise<T>): Promise<T>;
}

/** `extra` adds or replaces repositories (clusters, topics, ...) as a test needs them. */
export function fakeDatabase(extra: Partial<Record<keyof Registry, object>> = {}): FakeDatabase {
  const audit: NewAuditEntry[] = [];
  const operations: Operation[] = [];
  const steps: string[] = [];

  const over = (entries: NewAuditEntry[], rows: Operation[]): Registry =>
    ({
      audit: {
        record: async (entry: NewAuditEntry): Promise<AuditEntry> => {
          steps.push(`audit ${entry.action}`);
          entries.push(entry);
          return { id: entries.length, at: new Date(0), ...entry, details: entry.details ?? {} };
        },
      },
      operations: {
        start: async (row: Pick<Operation, 'workflowId' | 'kind' | 'subject' | 'input' | 'startedBy'>): Promise<Operation> => {
          steps.push(`operation ${row.workflowId}`);
          const operation = { ...row, state: 'running' as const, error: null, createdAt: new Date(0), updatedAt: new Date(0) };
          rows.push(operation);
          return operation;
        },
        list: async (filter: { subject?: string } = {}) => operations.filter((operation) => filter.subject === undefined || operation.subject === filter.subject),
      },
      ...extra,
    }) as unknown as Registry;

  return {
    audit,
    operations,
    steps,
    registry: over(audit, operations),
    async transact(work) {
      const entries: NewAuditEntry[] = [];
      const rows: Operation[] = [];
      const result = await work(over(entries, rows));
      audit.push(...entries);
      operations.push(...rows);
      return result;
    },
  };
}
