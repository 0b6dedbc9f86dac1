import { describe, expect, it } from 'vitest';
import { fakeDatabase } from '../test-support/fake-registry';
import { createChanges } from './audited-changes';

describe('createChanges', () => {
  it('records each entry with the actor and the procedure as its action, unless the change names its own', async () => {
    const db = fakeDatabase();
    const changes = createChanges((work) => db.transact(work), 'ops/cred-1', 'topics.place');
    await changes.run(async (_tx, audit) => {
      await audit({ target: 'topic/orders', details: { reason: 'rebalance' } });
      await audit({ action: 'clusters.setState', target: 'cluster/f1' });
    });
    expect(db.audit).toEqual([
      { actor: 'ops/cred-1', action: 'topics.place', target: 'topic/orders', details: { reason: 'rebalance' } },
      { actor: 'ops/cred-1', action: 'clusters.setState', target: 'cluster/f1' },
    ]);
  });

  it('keeps no entry of a change that fails: the entries commit with the change or not at all', async () => {
    const db = fakeDatabase();
    const changes = createChanges((work) => db.transact(work), 'ops/cred-1', 'quotas.set');
    await expect(
      changes.run(async (_tx, audit) => {
        await audit({ target: 'application/billing' });
        throw new Error('quota refused');
      }),
    ).rejects.toThrow('quota refused');
    expect(db.audit).toEqual([]);
  });

  it('write: records the entry that describes what the write returned', async () => {
    const db = fakeDatabase();
    const changes = createChanges((work) => db.transact(work), 'admin/cred-2', 'tokens.revoke');
    const revoked = await changes.write(async () => ({ id: 'c-9', application: 'billing' }), (credential) => ({ target: `credential/${credential.id}`, details: { application: credential.application } }));
    expect(revoked).toEqual({ id: 'c-9', application: 'billing' });
    expect(db.audit).toEqual([{ actor: 'admin/cred-2', action: 'tokens.revoke', target: 'credential/c-9', details: { application: 'billing' } }]);
  });
});
