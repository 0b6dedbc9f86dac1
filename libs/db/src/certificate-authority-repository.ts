// The local CA's certificate and key (schema/certificate-authorities.ts). Several management
// instances may make one at the same moment; the first stored wins and every caller gets that one.
import { eq } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { certificateAuthorities, type CertificateAuthority } from './schema/certificate-authorities';

const LOCAL = 'local';

export interface CertificateAuthorityRepository {
  /** The CA, or undefined before the first one was stored. */
  get(): Promise<CertificateAuthority | undefined>;
  /** Stores `candidate` unless a CA is already stored, and returns the stored one. */
  storeFirst(candidate: { certificatePem: string; privateKeyPem: string }): Promise<CertificateAuthority>;
}

export function createCertificateAuthorityRepository(db: Database): CertificateAuthorityRepository {
  const get = () =>
    guard(async () => {
      const [ca] = await db.select().from(certificateAuthorities).where(eq(certificateAuthorities.id, LOCAL));
      return ca;
    });
  return {
    get,
    storeFirst: (candidate) =>
      guard(async () => {
        await db
          .insert(certificateAuthorities)
          .values({ id: LOCAL, ...candidate })
          .onConflictDoNothing();
        const stored = await get();
        // The insert either stored the candidate or found a row; neither leaves the table empty.
        if (!stored) throw new Error('the certificate authority was neither stored nor found');
        return stored;
      }),
  };
}
