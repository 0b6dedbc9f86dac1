// The router token management keeps in FLOTILLA_ROUTER_TOKEN_FILE (what `npm start` hands its
// router): a data-plane token that heartbeats and changes nothing, the same one across restarts.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTER_APPLICATION } from './first-start';
import { startManagementHarness, type ManagementHarness } from './test-support/management-harness';

describe('the router token', () => {
  let dir: string;
  let tokenFile: string;
  let management: ManagementHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-router-token-'));
    tokenFile = join(dir, 'router-token');
    management = await startManagementHarness('pglite', { FLOTILLA_ROUTER_TOKEN_FILE: tokenFile });
  }, 60_000);

  afterAll(async () => {
    await management?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const token = async () => (await readFile(tokenFile, 'utf8')).trim();

  it('heartbeats as flotilla-router and is refused management changes', async () => {
    const router = management.client(await token());

    await router.clients.heartbeat.mutate({ clientId: 'flotilla-router/test/1', kind: 'router', routes: {} });

    const sessions = await management.admin().clients.list.query({});
    expect(sessions).toEqual([expect.objectContaining({ clientId: 'flotilla-router/test/1', application: ROUTER_APPLICATION, kind: 'router' })]);
    await expect(router.applications.add.mutate({ id: 'nope', owner: 'router' })).rejects.toThrow(/role|forbidden|admin|operator/i);
  });

  it('is kept across a restart, and replaced when the file no longer holds a working one', async () => {
    const first = await token();
    await management.restart();
    expect(await token()).toBe(first);

    await writeFile(tokenFile, 'not-a-token\n');
    await management.restart();
    const second = await token();
    expect(second).not.toBe('not-a-token');
    await management.client(second).clients.heartbeat.mutate({ clientId: 'flotilla-router/test/2', kind: 'router' });
  }, 60_000);
});
