// The audit log as an operator reads it: every change through the API leaves one entry naming the
// credential that made it, the procedure and what it changed; a refused change leaves none.
import { createRegistry } from '@flotilla/db';
import { uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagementHarness, type ManagementHarness } from './test-support/management-harness';

// PGlite only: what is recorded does not depend on the database; management.int.test.ts runs the
// repositories through the API on both.
describe('audit log', () => {
  let management: ManagementHarness;

  beforeAll(async () => {
    management = await startManagementHarness('pglite');
  }, 60_000);

  afterAll(async () => {
    await management?.stop();
  });

  const entries = async () => createRegistry(management.running.services.db).audit.list({ limit: 20 });

  it('names the credential, the procedure and the target of every change, and nothing for a refused one', async () => {
    const admin = management.admin();
    const adminId = (await admin.whoami.query()).credentialId;
    const app = uniqueName('audited');
    await admin.applications.add.mutate({ id: app, owner: 'team-a' });
    await admin.quotas.set.mutate({ application: app, requestsPerSecond: 10 });
    const issued = await admin.tokens.issue.mutate({ application: app, role: 'operator' });
    await expect(admin.applications.add.mutate({ id: app, owner: 'team-b' })).rejects.toThrow(/already exists/);
    await management.client(issued.token).mapping.publish.mutate({ reason: 'after a manual repair' });

    const recorded = (await entries()).map((entry) => ({ actor: entry.actor, action: entry.action, target: entry.target, details: entry.details }));
    expect(recorded.slice(0, 4)).toEqual([
      { actor: `${app}/${issued.id}`, action: 'mapping.publish', target: 'mapping', details: { reason: 'after a manual repair' } },
      { actor: `flotilla-admin/${adminId}`, action: 'tokens.issue', target: `application/${app}`, details: { credential: issued.id, role: 'operator' } },
      { actor: `flotilla-admin/${adminId}`, action: 'quotas.set', target: `application/${app}`, details: { application: app, requestsPerSecond: 10 } },
      { actor: `flotilla-admin/${adminId}`, action: 'applications.add', target: `application/${app}`, details: { owner: 'team-a' } },
    ]);
    // The admin token management issued itself on its first start.
    expect(recorded.at(-1)).toMatchObject({ actor: 'system/management', action: 'tokens.issue', target: 'application/flotilla-admin' });
  });
});
