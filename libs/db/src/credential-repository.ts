// How applications prove who they are: API tokens (only the hash is stored; the caller generates
// the token with @flotilla/auth) and mTLS certificate subjects. Revoking keeps the row, for the
// audit trail, but a revoked credential is never found by the lookups authentication uses.
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@flotilla/errors';
import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { requireApplication } from './application-repository';
import type { Database } from './create-db';
import { guard } from './database-error';
import { parseInput } from './parse-input';
import { credentials, newMtlsCredentialSchema, newTokenCredentialSchema } from './schema/credentials';
import type { NewMtlsCredential, NewTokenCredential, PublicCredential } from './schema/credentials';

/** An active token credential, with the hash authentication compares the presented token against. */
export type ActiveTokenCredential = PublicCredential & { readonly kind: 'token'; readonly tokenHash: string };

/** An unrevoked credential with what identifies it: the token's hash, or the certificate subject. */
export type ActiveCredential = ActiveTokenCredential | (PublicCredential & { readonly kind: 'mtls'; readonly subject: string });

export interface CredentialListFilter {
  /** Only this application's credentials. */
  readonly application?: string | undefined;
}

export interface CredentialRepository {
  /**
   * Stores a token the caller generated, keyed by its public id. An unknown application is a
   * NotFoundError, a token id already stored a ConflictError. Returns the credential without
   * its hash.
   */
  issueToken(token: NewTokenCredential): Promise<PublicCredential>;
  /**
   * Accepts a client certificate subject for an application. A subject that already has an
   * active credential is a ConflictError: one certificate identifies one application.
   */
  addMtls(credential: NewMtlsCredential): Promise<PublicCredential>;
  /** The unrevoked token with this id, with its hash, or undefined. */
  findActiveByTokenId(tokenId: string): Promise<ActiveTokenCredential | undefined>;
  /**
   * The token credential with this id, revoked or not (revokedAt says which), or undefined: lets
   * authentication tell a caller "revoked" rather than "unknown" once the secret has matched.
   */
  findByTokenId(tokenId: string): Promise<(PublicCredential & { readonly tokenHash: string }) | undefined>;
  /** The unrevoked mTLS credential for this certificate subject, or undefined. */
  findActiveBySubject(subject: string): Promise<PublicCredential | undefined>;
  /**
   * Every unrevoked credential, token hashes included, by application and then id: what the
   * published access set holds, so proxies can check tokens themselves.
   */
  listActive(): Promise<ActiveCredential[]>;
  /** Credentials, revoked ones included, by application and then age; never a token hash. */
  list(filter?: CredentialListFilter): Promise<PublicCredential[]>;
  /**
   * Revokes a credential from now on. Revoking it again changes nothing and returns it as
   * revoked the first time; an unknown id is a NotFoundError.
   */
  revoke(id: string): Promise<PublicCredential>;
}

// Every read that leaves this module selects these, so a hash cannot be returned by accident.
const { tokenHash: _tokenHash, ...publicColumns } = getTableColumns(credentials);

export function createCredentialRepository(db: Database): CredentialRepository {
  return {
    issueToken: (input) =>
      guard(async () => {
        const token = parseInput(newTokenCredentialSchema, input, describeCredential(input));
        await requireApplication(db, token.application);
        const [issued] = await db
          .insert(credentials)
          .values({
            id: token.tokenId,
            application: token.application,
            kind: 'token',
            tokenHash: token.tokenHash,
            role: token.role ?? null,
            description: token.description ?? null,
          })
          .onConflictDoNothing({ target: credentials.id })
          .returning(publicColumns);
        if (!issued) throw new ConflictError('token', token.tokenId);
        return issued;
      }),

    addMtls: (input) =>
      guard(async () => {
        const credential = parseInput(newMtlsCredentialSchema, input, describeCredential(input));
        await requireApplication(db, credential.application);
        // The id is ours and random, so the only conflict left is the active-subject index.
        const [added] = await db
          .insert(credentials)
          .values({
            id: `mtls-${randomUUID()}`,
            application: credential.application,
            kind: 'mtls',
            subject: credential.subject,
            role: credential.role ?? null,
            description: credential.description ?? null,
          })
          .onConflictDoNothing()
          .returning(publicColumns);
        if (!added) throw new ConflictError('certificate subject', credential.subject, 'already has an active credential');
        return added;
      }),

    findActiveByTokenId: (tokenId) =>
      guard(async () => {
        const [found] = await db
          .select()
          .from(credentials)
          .where(and(eq(credentials.id, tokenId), eq(credentials.kind, 'token'), isNull(credentials.revokedAt)));
        if (!found || found.tokenHash === null) return undefined;
        return { ...found, kind: 'token', tokenHash: found.tokenHash };
      }),

    findByTokenId: (tokenId) =>
      guard(async () => {
        const [found] = await db.select().from(credentials).where(and(eq(credentials.id, tokenId), eq(credentials.kind, 'token')));
        if (!found || found.tokenHash === null) return undefined;
        return { ...found, tokenHash: found.tokenHash };
      }),

    findActiveBySubject: (subject) =>
      guard(async () => {
        const [found] = await db
          .select(publicColumns)
          .from(credentials)
          .where(and(eq(credentials.subject, subject), eq(credentials.kind, 'mtls'), isNull(credentials.revokedAt)));
        return found;
      }),

    list: (filter = {}) =>
      guard(() =>
        db
          .select(publicColumns)
          .from(credentials)
          .where(filter.application === undefined ? undefined : eq(credentials.application, filter.application))
          .orderBy(asc(credentials.application), asc(credentials.createdAt), asc(credentials.id)),
      ),

    listActive: () =>
      guard(async () => {
        const rows = await db.select().from(credentials).where(isNull(credentials.revokedAt)).orderBy(asc(credentials.application), asc(credentials.id));
        return rows.map(({ tokenHash, ...credential }): ActiveCredential => {
          // The kind check constraint guarantees the one secret each kind has.
          if (credential.kind === 'token' && tokenHash !== null) return { ...credential, kind: 'token', tokenHash };
          if (credential.kind === 'mtls' && credential.subject !== null) return { ...credential, kind: 'mtls', subject: credential.subject };
          throw new Error(`credential ${credential.id} of kind ${credential.kind} has no ${credential.kind === 'token' ? 'token hash' : 'subject'}`);
        });
      }),

    revoke: (id) =>
      guard(async () => {
        // coalesce keeps the first revocation time, so a repeated revoke is a no-op.
        const [revoked] = await db
          .update(credentials)
          .set({ revokedAt: sql`coalesce(${credentials.revokedAt}, now())` })
          .where(eq(credentials.id, id))
          .returning(publicColumns);
        if (!revoked) throw new NotFoundError('credential', id);
        return revoked;
      }),
  };
}

function describeCredential(input: unknown): string {
  const application: unknown = typeof input === 'object' && input !== null ? Reflect.get(input, 'application') : undefined;
  return typeof application === 'string' && application !== '' ? `credential for application "${application}"` : 'credential';
}
