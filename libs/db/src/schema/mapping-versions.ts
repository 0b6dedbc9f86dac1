// Published mapping versions (see versioned-documents.ts).
import { versionedDocumentTables } from './versioned-documents';

export const mappingTables = versionedDocumentTables('mapping');
export const mappingVersions = mappingTables.versions;
export const mappingHead = mappingTables.head;

export type MappingVersionRow = typeof mappingVersions.$inferSelect;
