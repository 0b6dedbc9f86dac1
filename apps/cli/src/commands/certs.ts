// `flotilla certs`: certificates from the local CA that management owns. The key pair is made
// here and only the public key is sent, so a private key never crosses the network; files are
// never overwritten (a key in use would be lost), and keys are written readable by the owner only.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { arg, intFlag, listFlag, stringFlag, UsageError, type CommandGroup, type Flags } from '../command';
import { emit, fields } from '../output';

const roles = ['admin', 'operator', 'viewer'] as const;

function newKeyPair(): { publicKey: string; privateKey: string } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Writes the key, certificate and CA as `<dir>/<name>.key|.crt` and `<dir>/ca.crt`; refuses to replace a key or certificate. */
async function writeFiles(flags: Flags, name: string, pem: { privateKey: string; certificate: string; ca: string }) {
  const dir = stringFlag(flags, 'out') ?? '.';
  await mkdir(dir, { recursive: true });
  const paths = { key: join(dir, `${name}.key`), certificate: join(dir, `${name}.crt`), ca: join(dir, 'ca.crt') };
  try {
    await writeFile(paths.key, pem.privateKey, { mode: 0o600, flag: 'wx' });
    await writeFile(paths.certificate, pem.certificate, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${(error as NodeJS.ErrnoException).path} exists; choose another --out directory or move it away`);
    throw error;
  }
  // The CA certificate is public and the same for every issue: rewriting it is harmless.
  await writeFile(paths.ca, pem.ca);
  return paths;
}

function fileFields(paths: { key: string; certificate: string; ca: string }) {
  return [['key', paths.key], ['certificate', paths.certificate], ['CA', paths.ca]] as const;
}

function daysFlag(flags: Flags) {
  const days = intFlag(flags, 'days');
  return days === undefined ? {} : { days };
}

export const certs: CommandGroup = {
  issue: {
    usage: `<application> [--out DIR] [--days N] [--role ${roles.join('|')}]`,
    summary: "issue a client certificate for an application's mTLS identity; writes DIR/<application>.key, .crt and ca.crt",
    details:
      'The key pair is made on this machine; management signs the public key with its local CA and registers the certificate\'s ' +
      'subject (<application>.<random>) as a credential of the application. `flotilla tokens revoke <credential>` disowns the ' +
      'certificate at every proxy within seconds. Default validity 365 days (at most 825). Without --role the certificate is ' +
      'for the data plane only (the HTTP proxy); with one it also authenticates to the management API.',
    minArgs: 1,
    options: { out: { type: 'string' }, days: { type: 'string' }, role: { type: 'string' }, description: { type: 'string' } },
    async run({ api, out, args, flags }) {
      const application = arg(args, 0);
      const role = stringFlag(flags, 'role');
      if (role !== undefined && !(roles as readonly string[]).includes(role)) throw new UsageError(`--role: expected ${roles.join(', ')}, got "${role}"`);
      const description = stringFlag(flags, 'description');
      const keys = newKeyPair();
      const issued = await api.certs.issue.mutate({
        application,
        publicKey: keys.publicKey,
        role: (role as (typeof roles)[number] | undefined) ?? null,
        ...(description ? { description } : {}),
        ...daysFlag(flags),
      });
      const paths = await writeFiles(flags, application, { privateKey: keys.privateKey, certificate: issued.certificate, ca: issued.ca });
      const summary = { application, credential: issued.credential.id, subject: issued.subject, serialNumber: issued.serialNumber, notAfter: issued.notAfter, files: paths };
      emit(out, summary, () =>
        fields([
          ['application', application],
          ['credential', issued.credential.id],
          ['subject', issued.subject],
          ['valid until', issued.notAfter],
          ...fileFields(paths),
        ]),
      );
    },
  },
  server: {
    usage: '<name> --host <host>[,<host>...] [--out DIR] [--days N]',
    summary: 'issue a server certificate (a proxy\'s TLS endpoint) for the hosts given; writes DIR/<name>.key, .crt and ca.crt',
    minArgs: 1,
    options: { host: { type: 'string' }, out: { type: 'string' }, days: { type: 'string' } },
    async run({ api, out, args, flags }) {
      const name = arg(args, 0);
      const hosts = listFlag(flags, 'host');
      if (!hosts?.length) throw new UsageError('missing --host: the DNS names or IP addresses clients connect to, comma-separated');
      const keys = newKeyPair();
      const issued = await api.certs.issueServer.mutate({ name, hosts, publicKey: keys.publicKey, ...daysFlag(flags) });
      const paths = await writeFiles(flags, name, { privateKey: keys.privateKey, certificate: issued.certificate, ca: issued.ca });
      const summary = { name, hosts, serialNumber: issued.serialNumber, notAfter: issued.notAfter, files: paths };
      emit(out, summary, () =>
        fields([
          ['name', name],
          ['hosts', hosts],
          ['valid until', issued.notAfter],
          ...fileFields(paths),
        ]),
      );
    },
  },
  ca: {
    usage: '[--out FILE]',
    summary: 'print the local CA certificate (PEM), or write it to FILE',
    options: { out: { type: 'string' } },
    async run({ api, out, flags }) {
      const { certificate } = await api.certs.ca.query();
      const file = stringFlag(flags, 'out');
      if (file) await writeFile(file, certificate);
      emit(out, { certificate, ...(file ? { file } : {}) }, () => (file ? `wrote the CA certificate to ${file}` : certificate.trimEnd()));
    },
  },
};
