// The management API over TLS: a client certificate signed by the configured CA authenticates
// as the application its subject is registered to (mTLS); an unknown subject, a certificate from
// another CA, or none at all gets no identity, while API tokens keep working over the same port.
import { accessSetSchema } from '@flotilla/auth';
import { request } from 'node:https';
import { createTestCertificates, hasOpenssl, type Pem, type TestCertificates } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagementHarness, type ManagementHarness } from './test-support/management-harness';

describe.skipIf(!hasOpenssl)(`management over mTLS${hasOpenssl ? '' : ' (skipped: no openssl to make test certificates)'}`, () => {
  let certificates: TestCertificates | undefined;
  let management: ManagementHarness;
  let ca: string;
  let client: Pem;
  let stranger: Pem;
  let unregistered: Pem;
  let proxy: Pem;

  /** One tRPC call (or, with a leading `/`, one request to that path) over HTTPS with an optional client certificate and token. */
  const call = (path: string, options: { cert?: Pem; token?: string; body?: unknown } = {}) =>
    new Promise<{ status: number; json: { result?: { data?: unknown }; error?: { message?: string } } }>((resolve, reject) => {
      const url = new URL(path.startsWith('/') ? `${management.url}${path}` : `${management.url}/trpc/${path}`);
      const req = request(
        url,
        {
          method: options.body === undefined ? 'GET' : 'POST',
          ca,
          ...(options.cert ? { cert: options.cert.cert, key: options.cert.key } : {}),
          headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as never }));
        },
      );
      req.on('error', reject);
      req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
    });

  beforeAll(async () => {
    certificates = await createTestCertificates();
    ca = certificates.ca;
    const server = await certificates.server();
    client = await certificates.client('client', 'billing-service');
    unregistered = await certificates.client('unregistered', 'nobody-service');
    proxy = await certificates.client('proxy', 'proxy-service');
    stranger = await certificates.client('stranger', 'billing-service', 'self');
    management = await startManagementHarness('pglite', {
      MANAGEMENT_TLS_CERT: server.certFile,
      MANAGEMENT_TLS_KEY: server.keyFile,
      MANAGEMENT_TLS_CA: certificates.caFile,
    });
  }, 60_000);

  afterAll(async () => {
    await management?.stop();
    await certificates?.remove();
  });

  it('authenticates a registered certificate subject as its application, with its role', async () => {
    const token = management.adminToken;
    expect((await call('applications.add', { token, body: { id: 'billing', owner: 'payments' } })).status).toBe(200);
    const added = await call('tokens.addCertificate', { token, body: { application: 'billing', subject: 'billing-service', role: 'viewer' } });
    expect(added.status).toBe(200);

    const me = await call('whoami', { cert: client });

    expect(me.status).toBe(200);
    expect(me.json.result?.data).toMatchObject({ application: 'billing', role: 'viewer' });
    expect((await call('clusters.list', { cert: client })).status).toBe(200);
    const refused = await call('applications.add', { cert: client, body: { id: 'x', owner: 'y' } });
    expect(refused.status).toBe(403);
  });

  it('answers the access set to an operator certificate, which it lists by subject, and refuses a viewer one', async () => {
    const token = management.adminToken;
    expect((await call('applications.add', { token, body: { id: 'proxy', owner: 'platform' } })).status).toBe(200);
    expect((await call('tokens.addCertificate', { token, body: { application: 'proxy', subject: 'proxy-service', role: 'operator' } })).status).toBe(200);

    const access = await call('/v1/access', { cert: proxy });

    expect(access.status).toBe(200);
    expect(accessSetSchema.parse(access.json).certificates).toContainEqual({ subject: 'proxy-service', application: 'proxy' });
    // billing-service, registered by the test before, is a viewer.
    expect((await call('/v1/access', { cert: client })).status).toBe(403);
    expect((await call('/v1/access', { cert: stranger })).status).toBe(401);
  });

  it('gives no identity to an unregistered subject, a certificate from another CA, or none', async () => {
    const unknown = await call('whoami', { cert: unregistered });
    const foreign = await call('whoami', { cert: stranger });
    const none = await call('whoami');

    expect(unknown.status).toBe(401);
    expect(unknown.json.error?.message).toBe('no active credential for certificate subject "nobody-service"');
    expect(foreign.status).toBe(401);
    expect(none.status).toBe(401);
  });
});
