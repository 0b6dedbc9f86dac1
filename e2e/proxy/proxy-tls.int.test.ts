// The proxy over TLS: HTTP/2 and HTTP/1.1 on one port, and applications identified by a client
// certificate the configured CA signed (mTLS), looked up by its subject CN among the applications'
// registered certificates; a certificate from another CA is refused.
import { connect } from 'node:http2';
import { request } from 'node:https';
import { createTestCertificates, hasOpenssl, uniqueName, type Pem, type TestCertificates } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, startProxyPlatform, type ProxyPlatform, type ProxyProcess } from './proxy-platform';

describe.skipIf(!hasOpenssl)(`HTTP proxy over TLS${hasOpenssl ? '' : ' (skipped: no openssl to make test certificates)'}`, () => {
  let certificates: TestCertificates | undefined;
  let platform: ProxyPlatform;
  let proxy: ProxyProcess;
  let ca: string;
  let client: Pem;
  let stranger: Pem;
  const subject = uniqueName('billing-client');

  beforeAll(async () => {
    certificates = await createTestCertificates();
    ca = certificates.ca;
    const server = await certificates.server();
    client = await certificates.client('client', subject);
    stranger = await certificates.client('stranger', subject, 'self');
    platform = await startProxyPlatform();
    proxy = await platform.startProxy({ PROXY_TLS_CERT: server.certFile, PROXY_TLS_KEY: server.keyFile, PROXY_TLS_CA: certificates.caFile });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await certificates?.remove();
  }, 60_000);

  const post1 = (path: string, body: unknown, pem?: Pem) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${proxy.url.replace('http:', 'https:')}${path}`, { method: 'POST', agent: false, ca, ...(pem ?? {}), headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  it('identifies an application by its client certificate over HTTP/1.1, and refuses one from another CA', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    await platform.management.admin().tokens.addCertificate.mutate({ application: app.id, subject });
    const body = { records: [{ value: 'over mTLS' }] };
    let answer = await post1(`/v1/topics/${topic}/records`, body, client);
    // The certificate reaches the proxy by push.
    const deadline = Date.now() + 5_000;
    while (answer.status === 401 && Date.now() < deadline) answer = await post1(`/v1/topics/${topic}/records`, body, client);
    expect(answer.status).toBe(200);
    const refused = await post1(`/v1/topics/${topic}/records`, body, stranger);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatch(/client certificate not accepted/);
    expect((await post1(`/v1/topics/${topic}/records`, body)).status).toBe(401);
    expect(await readAll(platform, topic, (values) => values.length >= 1, 10_000)).toEqual(['"over mTLS"']);
  }, 60_000);

  it('serves HTTP/2 on the same port', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const session = connect(proxy.url.replace('http:', 'https:'), { ca });
    // A session error (say, the proxy stopping while the session closes) fails this test instead
    // of surfacing as an uncaught exception in whichever test runs next.
    const sessionError = new Promise<never>((_, reject) => session.on('error', reject));
    try {
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': `/v1/topics/${topic}/records`, 'content-type': 'application/json', authorization: `Bearer ${app.token}` });
        let status = 0;
        let body = '';
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
        stream.on('end', () => resolve({ status, body }));
        stream.on('error', reject);
        stream.end(JSON.stringify({ records: [{ value: 'over h2' }] }));
      });
      const { status, body } = await Promise.race([answer, sessionError]);
      expect(status, body).toBe(200);
      expect(await readAll(platform, topic, (values) => values.length >= 1, 10_000)).toEqual(['"over h2"']);
    } finally {
      await new Promise<void>((resolve) => session.close(resolve));
    }
  }, 60_000);
});
