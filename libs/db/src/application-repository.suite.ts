// The application repository's contract, run against every driver by repositories.int.test.ts.
import { ConflictError, NotFoundError, ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { createApplicationRepository } from './application-repository';
import { createCredentialRepository } from './credential-repository';
import { createPolicyRepository } from './policy-repository';
import { createQuotaRepository } from './quota-repository';
import type { NewApplication } from './schema/applications';
import type { MakeTestDatabase } from './test-support/database-drivers';
import { useMigratedDatabase } from './test-support/migrated-database';

const orders: NewApplication = { id: 'orders-app', owner: 'team-orders', contact: '#orders-oncall' };
const billing: NewApplication = { id: 'billing.v2', owner: 'team-billing' };

export function applicationRepositorySuite(makeDb: MakeTestDatabase): void {
  const db = useMigratedDatabase(makeDb);
  const applications = () => createApplicationRepository(db());

  describe('add, get and list', () => {
    it('returns an added application from get and list, with its creation time', async () => {
      const added = await applications().add(orders);

      expect(added).toEqual({ ...orders, createdAt: expect.any(Date) });
      expect(await applications().get('orders-app')).toEqual(added);
      expect(await applications().list()).toEqual([added]);
    });

    it('stores a missing contact as null and lists applications by id', async () => {
      await applications().add(orders);
      await applications().add(billing);
      await applications().add({ id: '0-batch', owner: 'team-batch' });

      expect(await applications().get('billing.v2')).toMatchObject({ owner: 'team-billing', contact: null });
      expect((await applications().list()).map((application) => application.id)).toEqual(['0-batch', 'billing.v2', 'orders-app']);
    });

    it('reports an unknown application as not found, naming it', async () => {
      const lookup = applications().get('ghost');

      await expect(lookup).rejects.toBeInstanceOf(NotFoundError);
      await expect(lookup).rejects.toThrow('application "ghost" not found');
    });
  });

  describe('rejections', () => {
    it('rejects a taken id with a conflict naming it, keeping the original', async () => {
      await applications().add(orders);

      const duplicate = applications().add({ id: 'orders-app', owner: 'someone-else' });

      await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
      await expect(duplicate).rejects.toThrow('application "orders-app" already exists');
      expect(await applications().get('orders-app')).toMatchObject({ owner: 'team-orders', contact: '#orders-oncall' });
    });

    it('rejects an id the check constraint would refuse, naming the field, the value and the rule', async () => {
      const upperCase = applications().add({ ...orders, id: 'Orders' });
      const tooLong = applications().add({ ...orders, id: 'a'.repeat(64) });
      const leadingDash = applications().add({ ...orders, id: '-orders' });

      await expect(upperCase).rejects.toBeInstanceOf(ValidationError);
      await expect(upperCase).rejects.toThrow(
        'invalid application "Orders": id: expected 1-63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit, got "Orders"',
      );
      await expect(upperCase).rejects.toMatchObject({ field: 'id', code: 'VALIDATION' });
      await expect(tooLong).rejects.toMatchObject({ field: 'id' });
      await expect(leadingDash).rejects.toThrow('got "-orders"');
      expect(await applications().list()).toEqual([]);
    });

    it('rejects a blank owner and keys it does not know', async () => {
      const blankOwner = applications().add({ id: 'orders-app', owner: '  ' });
      const typo = applications().add({ ...orders, team: 'x' } as NewApplication);

      await expect(blankOwner).rejects.toThrow('invalid application "orders-app": owner: expected the owning team or person, got "  "');
      await expect(typo).rejects.toThrow(/Unrecognized key: "team"/);
      expect(await applications().list()).toEqual([]);
    });
  });

  describe('remove', () => {
    it('removes the application with its credentials, policies and quota, and reports one already gone', async () => {
      await applications().add(orders);
      await applications().add(billing);
      await createCredentialRepository(db()).addMtls({ application: 'orders-app', subject: 'CN=orders' });
      await createPolicyRepository(db()).add({ application: 'orders-app', verb: 'GET', resource: '/topics/orders', effect: 'allow' });
      await createQuotaRepository(db()).set({ application: 'orders-app', requestsPerSecond: 100 });

      const removed = await applications().remove('orders-app');

      expect(removed).toMatchObject(orders);
      await expect(applications().get('orders-app')).rejects.toBeInstanceOf(NotFoundError);
      expect(await createCredentialRepository(db()).findActiveBySubject('CN=orders')).toBeUndefined();
      expect(await createPolicyRepository(db()).listAll()).toEqual([]);
      expect(await createQuotaRepository(db()).get('orders-app')).toBeUndefined();
      expect((await applications().list()).map((application) => application.id)).toEqual(['billing.v2']);
      await expect(applications().remove('orders-app')).rejects.toThrow('application "orders-app" not found');
    });
  });
}
