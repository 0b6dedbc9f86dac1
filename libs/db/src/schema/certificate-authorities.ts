// The local certificate authority management owns: it signs the client certificates that
// applications present over mTLS (`flotilla certs issue`) and the server certificates of proxies.
// One row, made on first use; the database is the CA's trust root, so its backups are secrets.
import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const certificateAuthorities = pgTable(
  'certificate_authorities',
  {
    /** Always `local`: one CA per registry. */
    id: text('id').primaryKey(),
    certificatePem: text('certificate_pem').notNull(),
    /** PKCS #8 PEM of the CA's private key. */
    privateKeyPem: text('private_key_pem').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('certificate_authorities_one_row', sql`${table.id} = 'local'`)],
);

export type CertificateAuthority = typeof certificateAuthorities.$inferSelect;
