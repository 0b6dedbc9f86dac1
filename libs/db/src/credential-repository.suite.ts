// The credential repository's contract, run against every driver by repositories.int.test.ts.
import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '@flotilla/errors';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApplicationRepository } from './application-repository';
import { createCredentialRepository } from './credential-repository';
import { credentials as credentialTable } from './schema/credentials';
import type { NewTokenCredential } from './schema/credentials';
import type { MakeTestDatabase } from './test-support/database-drivers';
import { useMigratedDatabase } from './test-support/migrated-database';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const ordersToken: NewTokenCredential = {
  application: 'orders-app',
  role: 'operator',
  description: 'deploy pipeline',
  tokenId: '0123456789abcdef',
  tokenHash: sha256('flt_0123456789abcdef_secret-one'),
};

export function credentialRepositorySuite(makeDb: MakeTestDatabase): void {
  const db = useMigratedDatabase(makeDb);
  const credentials = () => createCredentialRepository(db());

  beforeEach(async () => {
    const applications = createApplicationRepository(db());
    await applications.add({ id: 'orders-app', owner: 'team-orders' });
    await applications.add({ id: 'billing', owner: 'team-billing' });
  });

  describe('tokens', () => {
    it('issues a token without handing the hash back, and finds it by id with the hash', async () => {
      const issued = await credentials().issueToken(ordersToken);

      expect(issued).toEqual({
        id: '0123456789abcdef',
        application: 'orders-app',
        kind: 'token',
        subject: null,
        role: 'operator',
        description: 'deploy pipeline',
        createdAt: expect.any(Date),
        revokedAt: null,
      });
      expect(issued).not.toHaveProperty('tokenHash');
      expect(await credentials().findActiveByTokenId('0123456789abcdef')).toEqual({ ...issued, tokenHash: ordersToken.tokenHash });
      expect(await credentials().findActiveByTokenId('fedcba9876543210')).toBeUndefined();
    });

    it('issues a data-plane token without role or description as nulls', async () => {
      const issued = await credentials().issueToken({ application: 'billing', tokenId: 'aaaaaaaaaaaaaaaa', tokenHash: sha256('b') });

      expect(issued).toMatchObject({ role: null, description: null });
    });

    it('rejects a token id already stored with a conflict, keeping the original hash', async () => {
      await credentials().issueToken(ordersToken);

      const again = credentials().issueToken({ ...ordersToken, application: 'billing', tokenHash: sha256('other') });

      await expect(again).rejects.toBeInstanceOf(ConflictError);
      await expect(again).rejects.toThrow('token "0123456789abcdef" already exists');
      expect(await credentials().findActiveByTokenId('0123456789abcdef')).toMatchObject({
        application: 'orders-app',
        tokenHash: ordersToken.tokenHash,
      });
    });

    it('rejects a malformed token id, hash or role, naming the field and the value', async () => {
      const shortId = credentials().issueToken({ ...ordersToken, tokenId: 'abc' });
      const plainSecret = credentials().issueToken({ ...ordersToken, tokenHash: 'flt_0123456789abcdef_secret-one' });
      const unknownRole = credentials().issueToken({ ...ordersToken, role: 'root' as 'admin' });

      await expect(shortId).rejects.toBeInstanceOf(ValidationError);
      await expect(shortId).rejects.toThrow(
        'invalid credential for application "orders-app": tokenId: expected 16 lower-case hex characters, got "abc"',
      );
      await expect(plainSecret).rejects.toMatchObject({ field: 'tokenHash' });
      await expect(plainSecret).rejects.toThrow("tokenHash: expected the token's SHA-256 as 64 lower-case hex characters");
      await expect(unknownRole).rejects.toThrow('role: Invalid option: expected one of "admin"|"operator"|"viewer", got "root"');
      expect(await credentials().list()).toEqual([]);
    });

    it('reports an unknown application as not found, naming it, and stores nothing', async () => {
      const token = credentials().issueToken({ ...ordersToken, application: 'ghost' });
      const certificate = credentials().addMtls({ application: 'ghost', subject: 'CN=ghost' });

      await expect(token).rejects.toBeInstanceOf(NotFoundError);
      await expect(token).rejects.toThrow('application "ghost" not found');
      await expect(certificate).rejects.toThrow('application "ghost" not found');
      expect(await credentials().list()).toEqual([]);
    });
  });

  describe('mTLS subjects', () => {
    it('finds an active subject, refuses a second active credential for it, and accepts one after revoking', async () => {
      const first = await credentials().addMtls({ application: 'orders-app', subject: 'CN=orders,O=acme', role: 'viewer' });

      expect(first).toMatchObject({ kind: 'mtls', subject: 'CN=orders,O=acme', role: 'viewer', revokedAt: null });
      expect(first.id).toMatch(/^mtls-/);
      expect(await credentials().findActiveBySubject('CN=orders,O=acme')).toEqual(first);

      const duplicate = credentials().addMtls({ application: 'billing', subject: 'CN=orders,O=acme' });
      await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
      await expect(duplicate).rejects.toThrow('certificate subject "CN=orders,O=acme" already has an active credential');

      await credentials().revoke(first.id);
      const renewed = await credentials().addMtls({ application: 'orders-app', subject: 'CN=orders,O=acme' });
      expect(await credentials().findActiveBySubject('CN=orders,O=acme')).toEqual(renewed);
    });
  });

  describe('list and revoke', () => {
    it('lists credentials by application then age, never with a token hash, filtered by application', async () => {
      const token = await credentials().issueToken(ordersToken);
      const certificate = await credentials().addMtls({ application: 'orders-app', subject: 'CN=orders' });
      const billingToken = await credentials().issueToken({ application: 'billing', tokenId: 'bbbbbbbbbbbbbbbb', tokenHash: sha256('b') });

      const all = await credentials().list();

      expect(all).toEqual([billingToken, token, certificate]);
      for (const credential of all) expect(credential).not.toHaveProperty('tokenHash');
      expect(await credentials().list({ application: 'orders-app' })).toEqual([token, certificate]);
    });

    it('no longer finds a revoked token, lists it as revoked, and revoking again changes nothing', async () => {
      await credentials().issueToken(ordersToken);

      const revoked = await credentials().revoke('0123456789abcdef');
      expect(revoked.revokedAt).toBeInstanceOf(Date);
      expect(await credentials().findActiveByTokenId('0123456789abcdef')).toBeUndefined();
      // Authentication still finds it by id, to answer "revoked" rather than "unknown".
      expect(await credentials().findByTokenId('0123456789abcdef')).toEqual({ ...revoked, tokenHash: ordersToken.tokenHash });
      expect(await credentials().findByTokenId('fedcba9876543210')).toBeUndefined();
      expect(await credentials().list()).toEqual([revoked]);

      // Back-date the revocation so a second revoke that stamped a new time could not go unseen.
      const yesterday = new Date(Date.now() - 86_400_000);
      await db().update(credentialTable).set({ revokedAt: yesterday }).where(eq(credentialTable.id, '0123456789abcdef'));
      expect(await credentials().revoke('0123456789abcdef')).toEqual({ ...revoked, revokedAt: yesterday });
    });

    it('lists the active credentials with their token hash or subject, by application then id, and drops a revoked one', async () => {
      const token = await credentials().issueToken(ordersToken);
      const certificate = await credentials().addMtls({ application: 'orders-app', subject: 'CN=orders' });
      const billingToken = await credentials().issueToken({ application: 'billing', tokenId: 'bbbbbbbbbbbbbbbb', tokenHash: sha256('b') });
      const revoked = await credentials().issueToken({ application: 'billing', tokenId: 'cccccccccccccccc', tokenHash: sha256('c') });
      await credentials().revoke(revoked.id);

      const active = await credentials().listActive();

      // Token ids are hex and certificate ids start `mtls-`, so within orders-app the token comes first.
      expect(active).toEqual([{ ...billingToken, tokenHash: sha256('b') }, { ...token, tokenHash: ordersToken.tokenHash }, certificate]);
      expect(active.find((c) => c.kind === 'mtls')).not.toHaveProperty('tokenHash');
    });

    it('reports revoking an unknown credential as not found', async () => {
      const revoke = credentials().revoke('no-such-credential');

      await expect(revoke).rejects.toBeInstanceOf(NotFoundError);
      await expect(revoke).rejects.toThrow('credential "no-such-credential" not found');
    });
  });
}
