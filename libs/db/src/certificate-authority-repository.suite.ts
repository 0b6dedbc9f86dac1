// The certificate authority repository's contract, run against every driver by repositories.int.test.ts.
import { describe, expect, it } from 'vitest';
import { createCertificateAuthorityRepository } from './certificate-authority-repository';
import type { MakeTestDatabase } from './test-support/database-drivers';
import { useMigratedDatabase } from './test-support/migrated-database';

export function certificateAuthorityRepositorySuite(makeDb: MakeTestDatabase): void {
  const db = useMigratedDatabase(makeDb);
  const authority = () => createCertificateAuthorityRepository(db());

  describe('storeFirst and get', () => {
    it('has no CA until one is stored, then keeps the first against later candidates', async () => {
      expect(await authority().get()).toBeUndefined();

      const first = await authority().storeFirst({ certificatePem: 'first certificate', privateKeyPem: 'first key' });
      const second = await authority().storeFirst({ certificatePem: 'second certificate', privateKeyPem: 'second key' });

      expect(first).toEqual({ id: 'local', certificatePem: 'first certificate', privateKeyPem: 'first key', createdAt: expect.any(Date) });
      expect(second).toEqual(first);
      expect(await authority().get()).toEqual(first);
    });

    it('gives concurrent first stores one and the same CA', async () => {
      const stored = await Promise.all(['a', 'b', 'c'].map((n) => authority().storeFirst({ certificatePem: `certificate ${n}`, privateKeyPem: `key ${n}` })));

      expect(new Set(stored.map((ca) => ca.certificatePem)).size).toBe(1);
      expect(stored[0]!.privateKeyPem).toBe(stored[0]!.certificatePem.replace('certificate', 'key'));
    });
  });
}
