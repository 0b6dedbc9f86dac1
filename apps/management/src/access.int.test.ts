// The access set through the real management service (real database, real HTTP server): what a
// proxy sees on /v1/access/stream. Every tenancy change arrives as the next version within the 2 s
// the HTTP proxy promises for revocations, the hashes in it check the tokens they were issued for,
// and only operators and admins may read it (it holds every active token's hash).
import { accessSetSchema, parseApiToken, verifyApiToken, type AccessSetDocument } from '@flotilla/auth';
import { uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_APPLICATION } from './first-start';
import { startManagementHarness, type ManagementHarness } from './test-support/management-harness';

/** Proxies' budget from a revocation to refusing the token (issue 24). */
const PUSH_WITHIN_MS = 2_000;

interface AccessStream {
  /** Every `access` event so far, validated as a follower would. */
  readonly versions: () => AccessSetDocument[];
  readonly latest: () => AccessSetDocument | undefined;
  /** Every other event (`error`), with its data. */
  readonly others: () => { event: string; data: string }[];
  readonly ended: () => boolean;
  stop(): void;
}

/** Follows `/v1/access/stream` with `token`, parsing the server-sent events. */
function followAccess(url: string, token: string): AccessStream {
  const abort = new AbortController();
  const versions: AccessSetDocument[] = [];
  const others: { event: string; data: string }[] = [];
  let ended = false;
  let buffer = '';
  void fetch(`${url}/v1/access/stream`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal })
    .then(async (response) => {
      const decoder = new TextDecoder();
      for await (const chunk of response.body ?? []) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
          const event = field('event');
          const data = field('data');
          if (event === 'access' && data !== undefined) versions.push(accessSetSchema.parse(JSON.parse(data)));
          else if (event !== undefined) others.push({ event, data: data ?? '' });
        }
      }
      ended = true;
    })
    .catch(() => {});
  return { versions: () => versions, latest: () => versions.at(-1), others: () => others, ended: () => ended, stop: () => abort.abort() };
}

describe('access set', () => {
  let management: ManagementHarness;
  let operatorToken: string;
  let app: string;

  beforeAll(async () => {
    management = await startManagementHarness('pglite');
    app = uniqueName('proxied').toLowerCase();
    await management.admin().applications.add.mutate({ id: app, owner: 'proxy tests' });
    // What a proxy runs with: an operator token of its own application.
    const proxyApp = uniqueName('proxy').toLowerCase();
    await management.admin().applications.add.mutate({ id: proxyApp, owner: 'platform' });
    operatorToken = (await management.admin().tokens.issue.mutate({ application: proxyApp, role: 'operator' })).token;
  }, 60_000);

  afterAll(async () => {
    await management?.stop();
  });

  it('has a document from the first start on, holding the admin token issued at start-up', async () => {
    const response = await fetch(`${management.url}/v1/access`, { headers: { authorization: `Bearer ${management.adminToken}` } });

    expect(response.status).toBe(200);
    const document = accessSetSchema.parse(await response.json());
    const { tokenId } = parseApiToken(management.adminToken);
    expect(document.applications).toContainEqual({ id: ADMIN_APPLICATION });
    expect(document.tokens).toContainEqual({ tokenId, application: ADMIN_APPLICATION, hash: expect.any(String) });
  });

  it('pushes an issued token within 2 s, with a hash that verifies it, and its revocation within 2 s', async () => {
    const admin = management.admin();
    const stream = followAccess(management.url, operatorToken);
    try {
      await vi.waitFor(() => expect(stream.latest()).toBeDefined(), { timeout: 5_000 });

      const issued = await admin.tokens.issue.mutate({ application: app });
      await vi.waitFor(() => expect(stream.latest()?.tokens.map((t) => t.tokenId)).toContain(issued.id), { timeout: PUSH_WITHIN_MS });
      const pushed = stream.latest()?.tokens.find((t) => t.tokenId === issued.id);
      expect(pushed).toMatchObject({ tokenId: issued.id, application: app });
      expect(verifyApiToken(issued.token, pushed?.hash ?? '')).toBe(true);
      expect(verifyApiToken(management.adminToken, pushed?.hash ?? '')).toBe(false);

      const before = stream.latest()?.version ?? 0;
      await admin.tokens.revoke.mutate({ id: issued.id });
      await vi.waitFor(
        () => {
          expect(stream.latest()?.version).toBeGreaterThan(before);
          expect(stream.latest()?.tokens.map((t) => t.tokenId)).not.toContain(issued.id);
        },
        { timeout: PUSH_WITHIN_MS },
      );
      // Each change is one version, in order, none skipped on an idle stream.
      const numbers = stream.versions().map((v) => v.version);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(numbers.slice(-2)).toEqual([before, before + 1]);
    } finally {
      stream.stop();
    }
  });

  it('pushes policies, certificates and quotas as they are added and removed', async () => {
    const admin = management.admin();
    const stream = followAccess(management.url, operatorToken);
    try {
      const policy = await admin.policies.add.mutate({ application: app, verb: 'PUT', resource: '/topics/orders.*', effect: 'allow' });
      await vi.waitFor(() => expect(stream.latest()?.policies).toContainEqual({ application: app, verb: 'PUT', resource: '/topics/orders.*', effect: 'allow' }), { timeout: PUSH_WITHIN_MS });

      const subject = `${app}.clients.flotilla`;
      const certificate = await admin.tokens.addCertificate.mutate({ application: app, subject });
      await admin.quotas.set.mutate({ application: app, requestsPerSecond: 20 });
      await vi.waitFor(
        () => {
          expect(stream.latest()?.certificates).toContainEqual({ subject, application: app });
          expect(stream.latest()?.quotas).toContainEqual({ application: app, bytesPerSecond: null, requestsPerSecond: 20 });
        },
        { timeout: PUSH_WITHIN_MS },
      );

      await admin.policies.remove.mutate({ id: policy.id });
      await admin.tokens.revoke.mutate({ id: certificate.id });
      await admin.quotas.remove.mutate({ application: app });
      await vi.waitFor(
        () => {
          const latest = stream.latest();
          expect(latest?.policies.filter((p) => p.application === app)).toEqual([]);
          expect(latest?.certificates.filter((c) => c.application === app)).toEqual([]);
          expect(latest?.quotas.filter((q) => q.application === app)).toEqual([]);
        },
        { timeout: PUSH_WITHIN_MS },
      );
    } finally {
      stream.stop();
    }
  });

  it('answers the document and the stream only to operators and admins: 401 without a credential, 403 for a viewer', async () => {
    const admin = management.admin();
    const viewer = await admin.tokens.issue.mutate({ application: app, role: 'viewer' });
    const dataPlane = await admin.tokens.issue.mutate({ application: app });
    const get = (path: string, token?: string) => fetch(`${management.url}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

    for (const path of ['/v1/access', '/v1/access/stream']) {
      const anonymous = await get(path);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual({ error: expect.stringContaining('no credentials') });
      const unknown = await get(path, `flt_0123456789abcdef_${'A'.repeat(43)}`);
      expect(unknown.status).toBe(401);
      expect(await unknown.json()).toEqual({ error: 'unknown API token 0123456789abcdef' });
      const asViewer = await get(path, viewer.token);
      expect(asViewer.status).toBe(403);
      expect(await asViewer.json()).toEqual({ error: `app "${app}" has role "viewer"; operate access needs role "operator" or higher` });
      expect((await get(path, dataPlane.token)).status).toBe(403);
    }
    const allowed = await get('/v1/access', operatorToken);
    expect(allowed.status).toBe(200);
    expect(accessSetSchema.safeParse(await allowed.json()).success).toBe(true);
  });

  it('ends the stream of a follower whose own token is revoked, without sending it the version that revokes it', async () => {
    const admin = management.admin();
    const follower = uniqueName('follower').toLowerCase();
    await admin.applications.add.mutate({ id: follower, owner: 'platform' });
    const own = await admin.tokens.issue.mutate({ application: follower, role: 'operator' });
    const stream = followAccess(management.url, own.token);
    try {
      await vi.waitFor(() => expect(stream.latest()?.tokens.map((t) => t.tokenId)).toContain(own.id), { timeout: 5_000 });

      await admin.tokens.revoke.mutate({ id: own.id });

      await vi.waitFor(() => expect(stream.ended()).toBe(true), { timeout: PUSH_WITHIN_MS });
      expect(stream.others().map((e) => [e.event, JSON.parse(e.data) as unknown])).toEqual([['error', { error: expect.stringContaining(`API token ${own.id} was revoked`) }]]);
      expect(stream.latest()?.tokens.map((t) => t.tokenId)).toContain(own.id);
    } finally {
      stream.stop();
    }
  });
});
