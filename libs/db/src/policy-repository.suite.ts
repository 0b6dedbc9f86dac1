// The policy repository's contract, run against every driver by repositories.int.test.ts.
import { ConflictError, NotFoundError, ValidationError } from '@flotilla/errors';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApplicationRepository } from './application-repository';
import { createPolicyRepository } from './policy-repository';
import type { NewPolicy, PolicyVerb } from './schema/policies';
import type { MakeTestDatabase } from './test-support/database-drivers';
import { useMigratedDatabase } from './test-support/migrated-database';

const readOrders: NewPolicy = { application: 'orders-app', verb: 'GET', resource: '/topics/orders', effect: 'allow' };

export function policyRepositorySuite(makeDb: MakeTestDatabase): void {
  const db = useMigratedDatabase(makeDb);
  const policies = () => createPolicyRepository(db());

  beforeEach(async () => {
    const applications = createApplicationRepository(db());
    await applications.add({ id: 'orders-app', owner: 'team-orders' });
    await applications.add({ id: 'billing', owner: 'team-billing' });
  });

  describe('add and list', () => {
    it('round-trips a rule with its id and creation time', async () => {
      const added = await policies().add(readOrders);

      expect(added).toEqual({ ...readOrders, id: expect.any(Number), createdAt: expect.any(Date) });
      expect(await policies().list()).toEqual([added]);
    });

    it('lists one application by resource and verb, and every rule in the order added', async () => {
      const writeOrders = await policies().add({ ...readOrders, verb: 'PUT' });
      const denyAudit = await policies().add({ application: 'orders-app', verb: '*', resource: '/topics/audit.**', effect: 'deny' });
      const billing = await policies().add({ application: 'billing', verb: 'GET', resource: '/topics/*', effect: 'allow' });
      const readOrdersRule = await policies().add(readOrders);

      expect(await policies().list({ application: 'orders-app' })).toEqual([denyAudit, readOrdersRule, writeOrders]);
      expect(await policies().list()).toEqual([billing, denyAudit, readOrdersRule, writeOrders]);
      expect(await policies().listAll()).toEqual([writeOrders, denyAudit, billing, readOrdersRule]);
    });
  });

  describe('rejections', () => {
    it('rejects a second rule for the same application, verb and resource, naming it and keeping the first', async () => {
      await policies().add(readOrders);

      const contradiction = policies().add({ ...readOrders, effect: 'deny' });

      await expect(contradiction).rejects.toBeInstanceOf(ConflictError);
      await expect(contradiction).rejects.toThrow('policy "orders-app GET /topics/orders" already exists');
      expect(await policies().list()).toEqual([expect.objectContaining({ effect: 'allow' })]);
      // The same resource for another application or verb is another rule.
      await policies().add({ ...readOrders, application: 'billing' });
      await policies().add({ ...readOrders, verb: '*' });
      expect(await policies().listAll()).toHaveLength(3);
    });

    it('rejects an unknown verb, a resource without the leading slash and an unknown effect, naming each', async () => {
      const patch = policies().add({ ...readOrders, verb: 'PATCH' as PolicyVerb });
      const relative = policies().add({ ...readOrders, resource: 'topics/orders' });
      const maybe = policies().add({ ...readOrders, effect: 'maybe' as 'allow' });

      await expect(patch).rejects.toBeInstanceOf(ValidationError);
      await expect(patch).rejects.toThrow(
        'invalid policy for application "orders-app": verb: Invalid option: expected one of "GET"|"PUT"|"POST"|"DELETE"|"*", got "PATCH"',
      );
      await expect(relative).rejects.toThrow('resource: expected a resource pattern starting with "/" and without spaces, got "topics/orders"');
      await expect(relative).rejects.toMatchObject({ field: 'resource' });
      await expect(maybe).rejects.toMatchObject({ field: 'effect' });
      expect(await policies().listAll()).toEqual([]);
    });

    it('reports an unknown application as not found', async () => {
      const orphan = policies().add({ ...readOrders, application: 'ghost' });

      await expect(orphan).rejects.toBeInstanceOf(NotFoundError);
      await expect(orphan).rejects.toThrow('application "ghost" not found');
    });
  });

  describe('remove', () => {
    it('removes a rule by id, returning it, and reports an unknown id as not found', async () => {
      const kept = await policies().add({ ...readOrders, verb: 'PUT' });
      const added = await policies().add(readOrders);

      expect(await policies().remove(added.id)).toEqual(added);
      expect(await policies().listAll()).toEqual([kept]);
      await expect(policies().remove(added.id)).rejects.toThrow(`policy "${added.id}" not found`);
    });
  });
}
