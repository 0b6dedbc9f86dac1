// Published access sets: every tenancy change publishes the applications, active credentials,
// policies and quotas as the next version, which proxies follow (see versioned-documents.ts).
import { versionedDocumentTables } from './versioned-documents';

export const accessSetTables = versionedDocumentTables('access_set');
export const accessSetVersions = accessSetTables.versions;
export const accessSetHead = accessSetTables.head;
