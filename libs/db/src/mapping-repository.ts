// Published mapping versions: versioned documents (versioned-document-repository.ts) holding a
// whole mapping each.
import type { MappingDocument } from '@flotilla/mapping';
import type { Database } from './create-db';
import { mappingTables } from './schema/mapping-versions';
import {
  createVersionedDocumentRepository,
  type PublishDocument,
  type VersionedDocument,
  type VersionedDocumentRepository,
  type VersionSummary,
} from './versioned-document-repository';

export type MappingVersion = VersionedDocument<MappingDocument>;
export type MappingVersionSummary = VersionSummary;
export type PublishInput = PublishDocument<MappingDocument>;
export type MappingRepository = VersionedDocumentRepository<MappingDocument>;

export function createMappingRepository(db: Database): MappingRepository {
  return createVersionedDocumentRepository<MappingDocument>(db, mappingTables, { what: 'mapping' });
}
