// The registry's applications: the tenants everything else (credentials, policies, quotas, topic
// ownership) hangs off. The id is what logs, ACLs and heartbeats name, so it never changes.
import { ConflictError, NotFoundError } from '@flotilla/errors';
import { asc, eq } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { parseInput } from './parse-input';
import { applications, newApplicationSchema } from './schema/applications';
import type { Application, NewApplication } from './schema/applications';

export interface ApplicationRepository {
  /** Registers an application; a taken id is a ConflictError naming it. */
  add(application: NewApplication): Promise<Application>;
  /** The application with this id, or a NotFoundError. */
  get(id: string): Promise<Application>;
  /** All applications, by id. */
  list(): Promise<Application[]>;
  /**
   * Removes the application and, with it, its credentials, policies and quota; topics it owned
   * are kept, without an owner. An unknown id is a NotFoundError.
   */
  remove(id: string): Promise<Application>;
}

export function createApplicationRepository(db: Database): ApplicationRepository {
  return {
    add: (input) =>
      guard(async () => {
        const application = parseInput(newApplicationSchema, input, describeApplication(input));
        const [added] = await db
          .insert(applications)
          .values({ id: application.id, owner: application.owner, contact: application.contact ?? null })
          .onConflictDoNothing({ target: applications.id })
          .returning();
        if (!added) throw new ConflictError('application', application.id);
        return added;
      }),

    get: (id) =>
      guard(async () => {
        const [application] = await db.select().from(applications).where(eq(applications.id, id));
        if (!application) throw new NotFoundError('application', id);
        return application;
      }),

    list: () => guard(() => db.select().from(applications).orderBy(asc(applications.id))),

    remove: (id) =>
      guard(async () => {
        const [removed] = await db.delete(applications).where(eq(applications.id, id)).returning();
        if (!removed) throw new NotFoundError('application', id);
        return removed;
      }),
  };
}

/**
 * Throws a NotFoundError unless the application exists. Writes that reference an application
 * check first, so the caller gets the error it can act on instead of a driver's foreign-key
 * violation.
 */
export async function requireApplication(db: Database, id: string): Promise<void> {
  const [found] = await db.select({ id: applications.id }).from(applications).where(eq(applications.id, id));
  if (!found) throw new NotFoundError('application', id);
}

function describeApplication(input: unknown): string {
  const id: unknown = typeof input === 'object' && input !== null ? Reflect.get(input, 'id') : undefined;
  return typeof id === 'string' && id !== '' ? `application "${id}"` : 'application';
}
