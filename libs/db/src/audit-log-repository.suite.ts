// The audit log repository's contract, run against every driver by repositories.int.test.ts,
// including the reason it takes a `db` that may be a transaction: a change and its entry commit
// together or not at all.
import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { createApplicationRepository } from './application-repository';
import { createAuditLogRepository } from './audit-log-repository';
import { createCredentialRepository } from './credential-repository';
import type { MakeTestDatabase } from './test-support/database-drivers';
import { useMigratedDatabase } from './test-support/migrated-database';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function auditLogRepositorySuite(makeDb: MakeTestDatabase): void {
  const db = useMigratedDatabase(makeDb);
  const audit = () => createAuditLogRepository(db());

  describe('record and list', () => {
    it('returns a recorded entry with id and time, details stored as JSON', async () => {
      const entry = await audit().record({
        actor: 'orders-app',
        action: 'topics.create',
        target: 'topic/orders',
        details: { partitions: 6, at: new Date('2025-01-31T12:00:00Z') },
      });

      expect(entry).toEqual({
        id: expect.any(Number),
        at: expect.any(Date),
        actor: 'orders-app',
        action: 'topics.create',
        target: 'topic/orders',
        details: { partitions: 6, at: '2025-01-31T12:00:00.000Z' },
      });
      expect(await audit().list()).toEqual([entry]);
      expect((await audit().record({ actor: 'system', action: 'mapping.publish', target: 'mapping' })).details).toEqual({});
    });

    it('lists newest first, by target, a page at a time', async () => {
      const entries = [];
      for (const n of [1, 2, 3, 4, 5]) {
        entries.push(await audit().record({ actor: 'admin', action: 'clusters.setState', target: `cluster/c${n % 2}`, details: { n } }));
      }
      const ids = (list: { id: number }[]) => list.map((entry) => entry.id);
      const [e1, e2, e3, e4, e5] = ids(entries);

      const firstPage = await audit().list({ limit: 2 });
      const secondPage = await audit().list({ limit: 2, before: firstPage.at(-1)?.id });

      expect(ids(firstPage)).toEqual([e5, e4]);
      expect(ids(secondPage)).toEqual([e3, e2]);
      expect(ids(await audit().list({ target: 'cluster/c1' }))).toEqual([e5, e3, e1]);
    });

    it('returns the newest 100 entries unless told otherwise', async () => {
      for (let n = 0; n < 105; n += 1) await audit().record({ actor: 'system', action: 'clients.prune', target: 'clients' });

      const newest = await audit().list();

      expect(newest).toHaveLength(100);
      expect(newest[0]?.id).toBeGreaterThan(newest[99]?.id ?? Infinity);
    });

    it('rejects a malformed entry or query naming the field and the value, recording nothing', async () => {
      const spaced = audit().record({ actor: 'admin', action: 'create topic', target: 'topic/orders' });
      const anonymous = audit().record({ actor: '', action: 'topics.create', target: 'topic/orders' });
      const huge = audit().list({ limit: 5000 });

      await expect(spaced).rejects.toBeInstanceOf(ValidationError);
      await expect(spaced).rejects.toThrow(
        'invalid audit entry "create topic": action: expected a dotted action such as "topics.create", got "create topic"',
      );
      await expect(anonymous).rejects.toMatchObject({ field: 'actor' });
      await expect(huge).rejects.toThrow('invalid audit log query: limit: expected a limit of 1 to 1000, got 5000');
      expect(await audit().list()).toEqual([]);
    });
  });

  describe('in one transaction with the change', () => {
    it('commits a change and its entry together', async () => {
      await db().transaction(async (tx) => {
        await createApplicationRepository(tx).add({ id: 'orders-app', owner: 'team-orders' });
        await createAuditLogRepository(tx).record({ actor: 'admin', action: 'applications.add', target: 'application/orders-app' });
      });

      expect(await createApplicationRepository(db()).get('orders-app')).toMatchObject({ owner: 'team-orders' });
      expect(await audit().list()).toEqual([expect.objectContaining({ action: 'applications.add' })]);
    });

    it('rolls the first write back when the second fails, leaving neither the change nor its entry', async () => {
      const credentials = createCredentialRepository(db());
      await createApplicationRepository(db()).add({ id: 'billing', owner: 'team-billing' });
      await credentials.issueToken({ application: 'billing', tokenId: '0123456789abcdef', tokenHash: sha256('first') });

      const onboarding = db().transaction(async (tx) => {
        await createApplicationRepository(tx).add({ id: 'orders-app', owner: 'team-orders' });
        await createAuditLogRepository(tx).record({ actor: 'admin', action: 'applications.add', target: 'application/orders-app' });
        // The token id is taken, so this write fails after the two above succeeded.
        await createCredentialRepository(tx).issueToken({ application: 'orders-app', tokenId: '0123456789abcdef', tokenHash: sha256('second') });
      });

      await expect(onboarding).rejects.toBeInstanceOf(ConflictError);
      await expect(onboarding).rejects.toThrow('token "0123456789abcdef" already exists');
      await expect(createApplicationRepository(db()).get('orders-app')).rejects.toBeInstanceOf(NotFoundError);
      expect(await audit().list()).toEqual([]);
      expect(await credentials.findActiveByTokenId('0123456789abcdef')).toMatchObject({ application: 'billing', tokenHash: sha256('first') });
    });
  });
}
