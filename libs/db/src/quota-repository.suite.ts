// The quota repository's contract, run against every driver by repositories.int.test.ts.
import { NotFoundError, ValidationError } from '@flotilla/errors';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApplicationRepository } from './application-repository';
import { createQuotaRepository } from './quota-repository';
import type { MakeTestDatabase } from './test-support/database-drivers';
import { useMigratedDatabase } from './test-support/migrated-database';

export function quotaRepositorySuite(makeDb: MakeTestDatabase): void {
  const db = useMigratedDatabase(makeDb);
  const quotas = () => createQuotaRepository(db());

  beforeEach(async () => {
    const applications = createApplicationRepository(db());
    await applications.add({ id: 'orders-app', owner: 'team-orders' });
    await applications.add({ id: 'billing', owner: 'team-billing' });
  });

  describe('set, get and list', () => {
    it('has no quota until one is set, then returns it', async () => {
      expect(await quotas().get('orders-app')).toBeUndefined();

      const set = await quotas().set({ application: 'orders-app', bytesPerSecond: 10_485_760, requestsPerSecond: 500 });

      expect(set).toEqual({ application: 'orders-app', bytesPerSecond: 10_485_760, requestsPerSecond: 500, updatedAt: expect.any(Date) });
      expect(await quotas().get('orders-app')).toEqual(set);
    });

    it('replaces the whole quota on a second set: a limit left out is lifted', async () => {
      const first = await quotas().set({ application: 'orders-app', bytesPerSecond: 1_000, requestsPerSecond: 50 });

      const second = await quotas().set({ application: 'orders-app', requestsPerSecond: 80 });

      expect(second).toMatchObject({ bytesPerSecond: null, requestsPerSecond: 80 });
      expect(second.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
      expect(await quotas().list()).toEqual([second]);
    });

    it('keeps limits beyond 32 bits exact and lists quotas by application', async () => {
      await quotas().set({ application: 'orders-app', bytesPerSecond: 10_000_000_000 });
      await quotas().set({ application: 'billing', requestsPerSecond: null });

      const listed = await quotas().list();

      expect(listed.map((quota) => [quota.application, quota.bytesPerSecond, quota.requestsPerSecond])).toEqual([
        ['billing', null, null],
        ['orders-app', 10_000_000_000, null],
      ]);
    });
  });

  describe('rejections', () => {
    it('rejects a limit that is not a positive whole number, naming it and keeping the quota as it was', async () => {
      const before = await quotas().set({ application: 'orders-app', bytesPerSecond: 1_000 });

      const zero = quotas().set({ application: 'orders-app', bytesPerSecond: 0 });
      const fraction = quotas().set({ application: 'orders-app', requestsPerSecond: 2.5 });

      await expect(zero).rejects.toBeInstanceOf(ValidationError);
      await expect(zero).rejects.toThrow(
        'invalid quota for application "orders-app": bytesPerSecond: expected at least 1 byte per second, or null for no limit, got 0',
      );
      await expect(fraction).rejects.toThrow('requestsPerSecond: expected a whole number of requests per second, got 2.5');
      await expect(fraction).rejects.toMatchObject({ field: 'requestsPerSecond' });
      expect(await quotas().get('orders-app')).toEqual(before);
    });

    it('reports an unknown application as not found', async () => {
      const orphan = quotas().set({ application: 'ghost', requestsPerSecond: 1 });

      await expect(orphan).rejects.toBeInstanceOf(NotFoundError);
      await expect(orphan).rejects.toThrow('application "ghost" not found');
    });
  });

  describe('remove', () => {
    it('lifts every limit, and reports an application without a quota as not found', async () => {
      await quotas().set({ application: 'orders-app', requestsPerSecond: 5 });

      expect(await quotas().remove('orders-app')).toMatchObject({ application: 'orders-app', requestsPerSecond: 5 });
      expect(await quotas().get('orders-app')).toBeUndefined();
      await expect(quotas().remove('orders-app')).rejects.toThrow('quota "orders-app" not found');
    });
  });
}
