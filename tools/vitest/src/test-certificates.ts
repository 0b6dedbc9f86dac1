// Certificates for tests of TLS and mTLS, made with the openssl command: a throwaway CA, server
// certificates for 127.0.0.1, client certificates it signs, and self-signed ones (another CA). A
// machine without openssl skips those tests with `hasOpenssl`.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export interface Pem {
  readonly cert: string;
  readonly key: string;
}

export interface TestCertificates {
  /** The CA's certificate (PEM) and its file. */
  readonly ca: string;
  readonly caFile: string;
  /** A server certificate for 127.0.0.1 signed by the CA, with its files. */
  server(): Promise<Pem & { certFile: string; keyFile: string }>;
  /** A client certificate with subject CN `cn`, signed by the CA, or self-signed (another CA). */
  client(name: string, cn: string, signer?: 'ca' | 'self'): Promise<Pem>;
  remove(): Promise<void>;
}

export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-certs-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=flotilla-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  const issue = async (name: string, cn: string, signer: 'ca' | 'self', extra: string[] = []): Promise<Pem> => {
    if (signer === 'self') {
      openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.crt`);
    } else {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.crt`, ...extra);
    }
    return { cert: await readFile(join(dir, `${name}.crt`), 'utf8'), key: await readFile(join(dir, `${name}.key`), 'utf8') };
  };
  return {
    ca: await readFile(join(dir, 'ca.crt'), 'utf8'),
    caFile: join(dir, 'ca.crt'),
    async server() {
      await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
      const pem = await issue('server', '127.0.0.1', 'ca', ['-extfile', 'server.ext']);
      return { ...pem, certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') };
    },
    client: (name, cn, signer = 'ca') => issue(name, cn, signer),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
