// Published access sets (versioned-document-repository.ts): what proxies need to authenticate and
// authorize callers on their own. The document's shape and schema are @flotilla/auth's, so a
// follower validates it without depending on the registry.
import type { AccessSetDocument } from '@flotilla/auth';
import type { Database } from './create-db';
import { accessSetTables } from './schema/access-sets';
import { createVersionedDocumentRepository, type VersionedDocument, type VersionedDocumentRepository } from './versioned-document-repository';

export type AccessSetVersion = VersionedDocument<AccessSetDocument>;
export type AccessSetRepository = VersionedDocumentRepository<AccessSetDocument>;

export function createAccessSetRepository(db: Database): AccessSetRepository {
  return createVersionedDocumentRepository<AccessSetDocument>(db, accessSetTables, { what: 'access set' });
}
