// The proxy with certificates from management's own CA (`flotilla certs`): started without
// PROXY_TLS_CA it trusts that CA, an application's issued certificate identifies it, revoking the
// certificate's credential refuses it within 2 seconds, and a certificate with the same subject
// from another CA gets no identity.
import { createCertificateAuthority, signCertificate } from '@flotilla/auth';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, startProxyPlatform, type ProxyPlatform, type ProxyProcess } from './proxy-platform';

function keyPair() {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

describe("HTTP proxy with management's certificate authority", () => {
  let platform: ProxyPlatform;
  let proxy: ProxyProcess;
  let ca: string;
  let dir: string;

  beforeAll(async () => {
    platform = await startProxyPlatform();
    dir = await mkdtemp(join(tmpdir(), 'flotilla-proxy-certs-'));
    const server = keyPair();
    const issued = await platform.management.admin().certs.issueServer.mutate({ name: 'proxy', hosts: ['127.0.0.1'], publicKey: server.publicKey });
    ca = issued.ca;
    await writeFile(join(dir, 'proxy.crt'), issued.certificate);
    await writeFile(join(dir, 'proxy.key'), server.key, { mode: 0o600 });
    proxy = await platform.startProxy({ PROXY_TLS_CERT: join(dir, 'proxy.crt'), PROXY_TLS_KEY: join(dir, 'proxy.key') });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  const post = (path: string, body: unknown, pem?: { cert: string; key: string }) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${proxy.url}${path}`, { method: 'POST', agent: false, ca, ...(pem ?? {}), headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  /** Posts until the answer is not `status` (the access set reaches the proxy by push), at most `ms`. */
  async function postUntilNot(status: number, ms: number, ...args: Parameters<typeof post>) {
    const started = Date.now();
    let answer = await post(...args);
    while (answer.status === status && Date.now() - started < ms) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await post(...args);
    }
    return { ...answer, afterMs: Date.now() - started };
  }

  it('identifies an application by its issued certificate; revoking the credential refuses it within 2 s', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const client = keyPair();
    const issued = await platform.management.admin().certs.issue.mutate({ application: app.id, publicKey: client.publicKey, days: 1 });
    const pem = { cert: issued.certificate, key: client.key };

    const accepted = await postUntilNot(401, 5_000, `/v1/topics/${topic}/records`, { records: [{ value: 'issued' }] }, pem);
    expect(accepted.status, accepted.body).toBe(200);

    await platform.management.admin().tokens.revoke.mutate({ id: issued.credential.id });
    const refused = await postUntilNot(200, 5_000, `/v1/topics/${topic}/records`, { records: [{ value: 'after revoke' }] }, pem);

    expect(refused.status).toBe(401);
    expect(refused.afterMs).toBeLessThan(2_000);
    expect(await readAll(platform, topic, (values) => values.length >= 1, 10_000)).toEqual(['"issued"']);
  }, 60_000);

  it('gives a certificate for the same subject from another CA no identity', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const client = keyPair();
    const issued = await platform.management.admin().certs.issue.mutate({ application: app.id, publicKey: client.publicKey, days: 1 });
    const other = await createCertificateAuthority('another CA');
    const forged = await signCertificate(other, { publicKeyPem: client.publicKey, commonName: issued.subject, usage: 'client', days: 1 });

    const answer = await post(`/v1/topics/${topic}/records`, { records: [{ value: 'forged' }] }, { cert: forged.certificatePem, key: client.key });

    expect(answer.status).toBe(401);
    expect(answer.body).toMatch(/client certificate not accepted/);
  }, 60_000);
});
