// The local CA: what it signs verifies against it in a real TLS handshake (server and client
// certificates, mTLS), names the subject as asked, and bad requests are refused naming the field.
import { ValidationError } from '@flotilla/errors';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { certificateName } from './certificate-subject';
import { createCertificateAuthority, signCertificate, type CertificateAuthorityPem } from './certificate-authority';

function keyPair(kind: 'ec' | 'rsa' = 'ec', size = 2048) {
  const pair = kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('rsa', { modulusLength: size });
  return { publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** One TLS handshake: the server asks for a client certificate; returns what each side saw. */
async function handshake(ca: CertificateAuthorityPem, server: { cert: string; key: string }, client: { cert: string; key: string } | undefined, trusted = ca.certificatePem) {
  const tlsServer = createServer({ cert: server.cert, key: server.key, ca: trusted, requestCert: true, rejectUnauthorized: false });
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');
  const seen = new Promise<{ authorized: boolean; name: string | undefined }>((resolve) =>
    tlsServer.once('secureConnection', (socket: TLSSocket) => {
      resolve({ authorized: socket.authorized, name: certificateName(socket.getPeerCertificate().subject) });
      socket.end();
    }),
  );
  try {
    const socket = connect({ host: '127.0.0.1', port: (tlsServer.address() as AddressInfo).port, ca: ca.certificatePem, ...(client ?? {}) });
    socket.on('error', () => undefined);
    await once(socket, 'secureConnect');
    // The server finishes its side of the handshake after the client's; closing first would reset it.
    const server = await seen;
    socket.destroy();
    return { clientAuthorized: socket.authorized, server };
  } finally {
    tlsServer.close();
  }
}

describe('certificate authority', () => {
  it('signs server and client certificates that pass a mutual TLS handshake, the client named by its CN', async () => {
    const ca = await createCertificateAuthority('flotilla-local-ca');
    const serverKey = keyPair();
    const server = await signCertificate(ca, { publicKeyPem: serverKey.publicKeyPem, commonName: 'proxy', usage: 'server', hosts: ['127.0.0.1', 'localhost'], days: 30 });
    const clientKey = keyPair('rsa');
    const client = await signCertificate(ca, { publicKeyPem: clientKey.publicKeyPem, commonName: 'billing.3f2a', usage: 'client', days: 30 });

    const result = await handshake(ca, { cert: server.certificatePem, key: serverKey.privateKeyPem }, { cert: client.certificatePem, key: clientKey.privateKeyPem });

    expect(result.clientAuthorized).toBe(true);
    expect(result.server).toEqual({ authorized: true, name: 'billing.3f2a' });
    const parsed = new X509Certificate(client.certificatePem);
    expect(parsed.verify(new X509Certificate(ca.certificatePem).publicKey)).toBe(true);
    expect(parsed.ca).toBe(false);
    expect(new X509Certificate(server.certificatePem).subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
    expect(new Date(parsed.validTo).getTime()).toBeCloseTo(client.notAfter.getTime(), -4);
  });

  it('gives a certificate from another CA no identity', async () => {
    const ca = await createCertificateAuthority('ours');
    const other = await createCertificateAuthority('theirs');
    const serverKey = keyPair();
    const server = await signCertificate(ca, { publicKeyPem: serverKey.publicKeyPem, commonName: 'proxy', usage: 'server', hosts: ['127.0.0.1'], days: 1 });
    const strangerKey = keyPair();
    const stranger = await signCertificate(other, { publicKeyPem: strangerKey.publicKeyPem, commonName: 'billing.3f2a', usage: 'client', days: 1 });

    const result = await handshake(ca, { cert: server.certificatePem, key: serverKey.privateKeyPem }, { cert: stranger.certificatePem, key: strangerKey.privateKeyPem });

    expect(result.server.authorized).toBe(false);
  });

  it('refuses a request naming what is wrong: not a key, a small RSA key, days out of range, a server without hosts', async () => {
    const ca = await createCertificateAuthority('ca');
    const good = keyPair().publicKeyPem;
    const refusal = (request: Parameters<typeof signCertificate>[1]) => signCertificate(ca, request).then(() => 'signed', (error: unknown) => error);
    const notAKey = await refusal({ publicKeyPem: 'hello', commonName: 'a', usage: 'client', days: 1 });
    expect(notAKey).toBeInstanceOf(ValidationError);
    expect(String(notAKey)).toMatch(/publicKey is not a PEM public key/);
    expect(String(await refusal({ publicKeyPem: keyPair('rsa', 1024).publicKeyPem, commonName: 'a', usage: 'client', days: 1 }))).toMatch(/at least 2048 bits, got 1024/);
    expect(String(await refusal({ publicKeyPem: good, commonName: 'a', usage: 'client', days: 0 }))).toMatch(/days must be a whole number from 1 to 825, got 0/);
    expect(String(await refusal({ publicKeyPem: good, commonName: 'a', usage: 'server', days: 1 }))).toMatch(/names at least one host/);
  });
});
