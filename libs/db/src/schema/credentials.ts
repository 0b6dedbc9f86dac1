// How an application proves who it is: an API token (only its SHA-256 hash is stored) or an mTLS
// client certificate subject. A credential may carry a management API role; without one it is
// good for the data plane (proxy, brokers) only. Revoked credentials stay, for the audit trail.
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { applicationIdSchema, applications } from './applications';
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

/** A credential as callers may see it: everything but the token hash. */
export type PublicCredential = Omit<Credential, 'tokenHash'>;

const role = z.enum(apiRoles).nullish();
const description = z.string().trim().min(1, { error: 'expected a description or nothing' }).max(200).nullish();

/** The public id inside a token (`flt_<id>_<secret>`), as @flotilla/auth generates it. */
export const tokenIdSchema = z.string().regex(/^[0-9a-f]{16}$/, { error: 'expected 16 lower-case hex characters' });

/**
 * A token issued by the caller, which generated it: only its id and hash reach the database, so
 * a leaked table does not leak tokens.
 */
export const newTokenCredentialSchema = z.strictObject({
  application: applicationIdSchema,
  role,
  description,
  tokenId: tokenIdSchema,
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/, { error: "expected the token's SHA-256 as 64 lower-case hex characters" }),
});

export type NewTokenCredential = z.input<typeof newTokenCredentialSchema>;

/** A client certificate subject (or SAN) accepted for an application. */
export const newMtlsCredentialSchema = z.strictObject({
  application: applicationIdSchema,
  subject: z.string().trim().min(1, { error: 'expected a certificate subject' }).max(1024),
  role,
  description,
});

export type NewMtlsCredential = z.input<typeof newMtlsCredentialSchema>;
