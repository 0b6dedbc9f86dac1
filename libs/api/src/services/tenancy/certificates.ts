// The local certificate authority management owns (@flotilla/auth's certificate-authority.ts):
// its certificate for anyone who verifies peers, client certificates registered as an
// application's mTLS credential in the same change, and server certificates for proxies. The CA
// is made on first use and stored in the registry; callers send public keys only.
import { createCertificateAuthority, signCertificate, type CertificateAuthorityPem } from '@flotilla/auth';
import type { CertificateAuthority, Registry } from '@flotilla/db';
import { randomBytes } from 'node:crypto';
import type { ReadContext, WriteContext } from '../../context';
import { writeTenancy } from './publish-access-set';
import type { IssueClientCertificateRequest, IssueServerCertificateRequest } from './tenancy-inputs';

const CA_NAME = 'Flotilla local CA';

/** The CA, made and stored first if there is none (concurrent first uses agree on one). */
export async function certificateAuthority(registry: Registry): Promise<CertificateAuthority> {
  return (await registry.certificateAuthority.get()) ?? registry.certificateAuthority.storeFirst(await createCertificateAuthority(CA_NAME));
}

export async function caCertificate({ registry }: ReadContext): Promise<{ certificate: string }> {
  return { certificate: (await certificateAuthority(registry)).certificatePem };
}

/**
 * Signs a client certificate for `application` under a new subject (`<application>.<random>`),
 * registered as its mTLS credential: revoking that credential (`tokens.revoke`) disowns the
 * certificate everywhere the access set reaches. The certificate's subject is not registered
 * until the credential commits, so a failed change leaves a certificate nobody accepts.
 */
export async function issueClientCertificate(context: WriteContext, input: IssueClientCertificateRequest) {
  const ca = await certificateAuthority(context.registry);
  const subject = `${input.application}.${randomBytes(4).toString('hex')}`;
  const signed = await signCertificate(pem(ca), { publicKeyPem: input.publicKey, commonName: subject, usage: 'client', days: input.days });
  const credential = await writeTenancy(
    context,
    `issue client certificate ${subject} for application ${input.application}`,
    (tx) =>
      tx.credentials.addMtls({
        application: input.application,
        subject,
        role: input.role ?? null,
        description: input.description ?? `certificate ${signed.serialNumber}, valid until ${signed.notAfter.toISOString()}`,
      }),
    (added) => ({ target: `application/${input.application}`, details: { credential: added.id, subject, serialNumber: signed.serialNumber, notAfter: signed.notAfter.toISOString() } }),
  );
  return { credential, subject, certificate: signed.certificatePem, ca: ca.certificatePem, serialNumber: signed.serialNumber, notAfter: signed.notAfter.toISOString() };
}

/** Signs a server certificate for `hosts` (a proxy's or management's TLS endpoint); audited. */
export async function issueServerCertificate(context: WriteContext, input: IssueServerCertificateRequest) {
  const ca = await certificateAuthority(context.registry);
  const signed = await signCertificate(pem(ca), { publicKeyPem: input.publicKey, commonName: input.name, usage: 'server', hosts: input.hosts, days: input.days });
  await context.changes.run(async (_tx, audit) =>
    audit({ target: `certificate/${signed.serialNumber}`, details: { name: input.name, hosts: input.hosts, notAfter: signed.notAfter.toISOString() } }),
  );
  return { certificate: signed.certificatePem, ca: ca.certificatePem, serialNumber: signed.serialNumber, notAfter: signed.notAfter.toISOString() };
}

function pem(ca: CertificateAuthority): CertificateAuthorityPem {
  return { certificatePem: ca.certificatePem, privateKeyPem: ca.privateKeyPem };
}
