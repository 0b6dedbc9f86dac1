// How an application proves who it is: an API token (only its SHA-256 hash is stored) or an mTLS
// client certificate subject. A credential may carry a management API role; without one it is
// good for the data plane (proxy, brokers) only. Revoked credentials stay, for the audit trail.
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { applications } from './applications';
import { oneOf } from './check-values';

export const credentialKinds = ['token', 'mtls'] as const;
export const apiRoles = ['admin', 'operator', 'viewer'] as const;

export type CredentialKind = (typeof credentialKinds)[number];
export type ApiRole = (typeof apiRoles)[number];

export const credentials = pgTable(
  'credentials',
  {
    /** For a token, the public id inside it (`flt_<id>_<secret>`); for mTLS, a generated id. */
    id: text('id').primaryKey(),
    application: text('application')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: credentialKinds }).notNull(),
    tokenHash: text('token_hash'),
    /** Certificate subject (or SAN) as the TLS layer reports it. */
    subject: text('subject'),
    role: text('role', { enum: apiRoles }),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    check('credentials_kind_check', sql`${table.kind} in (${oneOf(credentialKinds)})`),
    check('credentials_role_check', sql`${table.role} in (${oneOf(apiRoles)})`),
    check(
      'credentials_secret_matches_kind',
      sql`(${table.kind} = 'token' and ${table.tokenHash} is not null and ${table.subject} is null) or (${table.kind} = 'mtls' and ${table.subject} is not null and ${table.tokenHash} is null)`,
    ),
    index('credentials_application_idx').on(table.application),
    uniqueIndex('credentials_subject_active_idx').on(table.subject).where(sql`${table.revokedAt} is null and ${table.subject} is not null`),
  ],
);

export type Credential = typeof credentials.$inferSelect;
