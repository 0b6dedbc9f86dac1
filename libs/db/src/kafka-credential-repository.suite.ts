// The Kafka credential repository's contract, run against every driver by repositories.int.test.ts.
import { NotFoundError } from '@flotilla/errors';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApplicationRepository } from './application-repository';
import { createKafkaCredentialRepository } from './kafka-credential-repository';
import type { MakeTestDatabase } from './test-support/database-drivers';
import { useMigratedDatabase } from './test-support/migrated-database';

export function kafkaCredentialRepositorySuite(makeDb: MakeTestDatabase): void {
  const db = useMigratedDatabase(makeDb);
  const credentials = () => createKafkaCredentialRepository(db());

  beforeEach(async () => {
    await createApplicationRepository(db()).add({ id: 'billing', owner: 'team-billing' });
  });

  describe('rotate, get, list and remove', () => {
    it('makes generation 1, then moves to the next generation on each rotation', async () => {
      const first = await credentials().rotate('billing');
      const second = await credentials().rotate('billing');

      expect(first).toMatchObject({ application: 'billing', generation: 1 });
      expect(second).toMatchObject({ application: 'billing', generation: 2, createdAt: first.createdAt });
      expect(await credentials().get('billing')).toEqual(second);
      expect(await credentials().list()).toEqual([second]);
    });

    it('refuses an unknown application naming it, and goes with its application', async () => {
      await expect(credentials().rotate('nobody')).rejects.toThrow(NotFoundError);
      await credentials().rotate('billing');

      await createApplicationRepository(db()).remove('billing');

      expect(await credentials().list()).toEqual([]);
    });

    it('removes a credential once, answering undefined after', async () => {
      await credentials().rotate('billing');

      expect(await credentials().remove('billing')).toMatchObject({ application: 'billing', generation: 1 });
      expect(await credentials().remove('billing')).toBeUndefined();
      expect(await credentials().get('billing')).toBeUndefined();
    });
  });
}
