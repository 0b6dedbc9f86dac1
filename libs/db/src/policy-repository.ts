// Authorization rules: application × verb × resource pattern → allow | deny. Only storage lives
// here; the policy engine in @flotilla/auth compiles `listAll()` and decides.
import { ConflictError, NotFoundError } from '@flotilla/errors';
import { asc, eq } from 'drizzle-orm';
import { requireApplication } from './application-repository';
import type { Database } from './create-db';
import { guard } from './database-error';
import { parseInput } from './parse-input';
import { newPolicySchema, policies } from './schema/policies';
import type { NewPolicy, Policy } from './schema/policies';

export interface PolicyListFilter {
  /** Only this application's rules. */
  readonly application?: string | undefined;
}

export interface PolicyRepository {
  /**
   * Adds a rule. A second rule for the same application, verb and resource is a ConflictError
   * naming all three (two effects for one rule would be ambiguous); an unknown application is a
   * NotFoundError.
   */
  add(policy: NewPolicy): Promise<Policy>;
  /** Rules by application, resource and verb. */
  list(filter?: PolicyListFilter): Promise<Policy[]>;
  /** Every rule, in the order they were added: what the policy engine compiles. */
  listAll(): Promise<Policy[]>;
  /** Removes the rule and returns it; an unknown id is a NotFoundError. */
  remove(id: number): Promise<Policy>;
}

export function createPolicyRepository(db: Database): PolicyRepository {
  return {
    add: (input) =>
      guard(async () => {
        const policy = parseInput(newPolicySchema, input, describePolicy(input));
        await requireApplication(db, policy.application);
        const [added] = await db
          .insert(policies)
          .values(policy)
          .onConflictDoNothing({ target: [policies.application, policies.verb, policies.resource] })
          .returning();
        if (!added) {
          throw new ConflictError('policy', `${policy.application} ${policy.verb} ${policy.resource}`);
        }
        return added;
      }),

    list: (filter = {}) =>
      guard(() =>
        db
          .select()
          .from(policies)
          .where(filter.application === undefined ? undefined : eq(policies.application, filter.application))
          .orderBy(asc(policies.application), asc(policies.resource), asc(policies.verb), asc(policies.id)),
      ),

    listAll: () => guard(() => db.select().from(policies).orderBy(asc(policies.id))),

    remove: (id) =>
      guard(async () => {
        const [removed] = await db.delete(policies).where(eq(policies.id, id)).returning();
        if (!removed) throw new NotFoundError('policy', String(id));
        return removed;
      }),
  };
}

function describePolicy(input: unknown): string {
  const application: unknown = typeof input === 'object' && input !== null ? Reflect.get(input, 'application') : undefined;
  return typeof application === 'string' && application !== '' ? `policy for application "${application}"` : 'policy';
}
