// The one way the API changes the registry: a transaction whose audit entries are written in it,
// stamped with who asked (the actor) and what they asked for (the action: the procedure's path,
// `topics.create`), so the log and the state never disagree and no handler writes entries itself.
import { inTransaction, type Database, type Registry } from '@flotilla/db';

/** What a change says about itself in the audit log; `action` only where it differs from the procedure's. */
export interface AuditNote {
  readonly target: string;
  readonly details?: Record<string, unknown>;
  readonly action?: string;
}

/** Records one entry in the change's transaction, before the change goes on (and commits). */
export type Audit = (note: AuditNote) => Promise<void>;

export interface Changes {
  /** Who the entries name: `<application>/<credential id>`, or `system/management`. */
  readonly actor: string;
  /** Runs `change` in one transaction; a throw rolls back its writes and its entries together. */
  run<T>(change: (tx: Registry, audit: Audit) => Promise<T>): Promise<T>;
  /** One write and the entry that describes what it returned, in one transaction. */
  write<T>(change: (tx: Registry) => Promise<T>, describe: (result: T) => AuditNote): Promise<T>;
}

/** Runs work in one transaction over a registry (the database's, or a test's). */
export type Transact = <T>(work: (tx: Registry) => Promise<T>) => Promise<T>;

export function transactOn(db: Database): Transact {
  return (work) => inTransaction(db, work);
}

export function createChanges(transact: Transact, actor: string, action: string): Changes {
  const run: Changes['run'] = (change) =>
    transact((tx) =>
      change(tx, async (note) => {
        await tx.audit.record({ actor, action: note.action ?? action, target: note.target, ...(note.details === undefined ? {} : { details: note.details }) });
      }),
    );
  return {
    actor,
    run,
    write: (change, describe) =>
      run(async (tx, audit) => {
        const result = await change(tx);
        await audit(describe(result));
        return result;
      }),
  };
}
