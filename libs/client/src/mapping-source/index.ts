// The mapping-source part of @flotilla/client, for the package's src/index.ts to re-export.
export type { MappingListener, MappingSource, WarningSink } from './mapping-source';
export { staticMappingSource } from './static-mapping-source';
export { fileMappingSource, type FileMappingSourceOptions } from './file-mapping-source';
export { liveMappingSource, type LiveMappingSourceOptions } from './live-mapping-source';
