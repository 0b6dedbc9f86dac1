// The local certificate authority's two jobs: make itself (a self-signed ECDSA P-256 CA) and sign
// a certificate for a public key it is given. The caller keeps the private key: `flotilla certs
// issue` makes the key pair where the certificate will live and sends only the public key, so no
// private key but the CA's ever crosses the network or sits in the registry.
import { createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
// @peculiar/x509 resolves its ASN.1 and algorithm parts through tsyringe, which needs the
// Reflect metadata API before the library loads.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { ValidationError } from '@flotilla/errors';

const crypto = webcrypto;
type CryptoKey = webcrypto.CryptoKey;
const CA_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
/** The CA outlives every certificate it signs by far: re-keying it means reissuing all of them. */
const CA_DAYS = 3650;
/** A certificate may live at most this long (the CA/Browser Forum's old ceiling). */
export const MAX_CERTIFICATE_DAYS = 825;
/** Clock skew between the signer and the machines that check the certificate. */
const BACKDATE_MS = 5 * 60_000;

export interface CertificateAuthorityPem {
  readonly certificatePem: string;
  /** PKCS #8. */
  readonly privateKeyPem: string;
}

export interface CertificateRequest {
  /** The subject's key, SPKI PEM (`-----BEGIN PUBLIC KEY-----`): EC P-256/P-384 or RSA ≥ 2048 bits. */
  readonly publicKeyPem: string;
  /** The subject's common name: what an mTLS peer authenticates as. */
  readonly commonName: string;
  /** `client` for mTLS callers; `server` for a TLS endpoint, named by `hosts`. */
  readonly usage: 'client' | 'server';
  /** DNS names and IP addresses a server certificate is good for. */
  readonly hosts?: readonly string[];
  readonly days: number;
  readonly now?: Date;
}

export interface SignedCertificate {
  readonly certificatePem: string;
  readonly serialNumber: string;
  readonly notAfter: Date;
}

export async function createCertificateAuthority(name: string, now = new Date()): Promise<CertificateAuthorityPem> {
  const keys = (await crypto.subtle.generateKey(CA_ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: `CN=${escapeName(name)}`,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
      signingAlgorithm: CA_ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certificatePem: certificate.toString('pem'), privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

export async function signCertificate(ca: CertificateAuthorityPem, request: CertificateRequest): Promise<SignedCertificate> {
  if (!Number.isInteger(request.days) || request.days < 1 || request.days > MAX_CERTIFICATE_DAYS) {
    throw new ValidationError(`invalid certificate request: days must be a whole number from 1 to ${MAX_CERTIFICATE_DAYS}, got ${request.days}`);
  }
  if (request.usage === 'server' && (request.hosts ?? []).length === 0) {
    throw new ValidationError('invalid certificate request: a server certificate names at least one host (DNS name or IP address)');
  }
  const publicKey = await importSubjectKey(request.publicKeyPem);
  const caCertificate = new x509.X509Certificate(ca.certificatePem);
  const signingKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.privateKeyPem), CA_ALGORITHM, false, ['sign']);
  const now = request.now ?? new Date();
  const notAfter = new Date(now.getTime() + request.days * DAY_MS);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([request.usage === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth], false),
    await x509.AuthorityKeyIdentifierExtension.create(await caCertificate.publicKey.export(CA_ALGORITHM, ['verify'], crypto), false, crypto),
    await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
  ];
  if (request.hosts?.length) {
    extensions.push(new x509.SubjectAlternativeNameExtension(request.hosts.map((host) => ({ type: isIpAddress(host) ? ('ip' as const) : ('dns' as const), value: host })), false));
  }
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: `CN=${escapeName(request.commonName)}`,
      issuer: caCertificate.subject,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter,
      signingAlgorithm: CA_ALGORITHM,
      publicKey,
      signingKey,
      extensions,
    },
    crypto,
  );
  return { certificatePem: certificate.toString('pem'), serialNumber: certificate.serialNumber, notAfter };
}

/** Parses and checks a subject's SPKI PEM, naming what is wrong with it. */
async function importSubjectKey(pem: string): Promise<CryptoKey> {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new ValidationError(`invalid certificate request: publicKey is not a PEM public key (${(error as Error).message})`);
  }
  const der = key.export({ type: 'spki', format: 'der' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const namedCurve = { prime256v1: 'P-256', secp384r1: 'P-384' }[details.namedCurve ?? ''];
    if (!namedCurve) throw new ValidationError(`invalid certificate request: EC curve ${details.namedCurve ?? 'unknown'} is not supported; use P-256 or P-384`);
    return crypto.subtle.importKey('spki', der, { name: 'ECDSA', namedCurve }, true, ['verify']);
  }
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new ValidationError(`invalid certificate request: an RSA key needs at least 2048 bits, got ${details.modulusLength}`);
    return crypto.subtle.importKey('spki', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
  }
  throw new ValidationError(`invalid certificate request: ${key.asymmetricKeyType ?? 'this'} keys are not supported; use EC (P-256, P-384) or RSA`);
}

/** An IPv4 dotted quad or an IPv6 address (the only names with a colon); anything else is a DNS name. */
function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** A positive 16-byte serial (RFC 5280 allows up to 20 octets; the top bit clear keeps it positive). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

/** Escapes the characters RFC 4514 reserves in a distinguished name's value. */
function escapeName(value: string): string {
  return value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`);
}
