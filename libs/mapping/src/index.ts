// @flotilla/mapping: the mapping model (ARCHITECTURE.md §3). Parsing and validation, O(1)
// resolution per version, canonical serialisation and diffs. Pure: no I/O.
export {
  CLUSTER_ROLES,
  CLUSTER_TIERS,
  DEFAULT_TOPIC_KEY,
  type ClusterRole,
  type ClusterSpec,
  type ClusterTier,
  type ConsumerRule,
  type ConsumerRules,
  type HandoffSpec,
  type MappingDocument,
  type MappingSide,
  type ProducerRule,
  type ProducerRules,
  type SinkRef,
  type VipRef,
} from './mapping-document';
export {
  MappingValidationError,
  UnknownTopicError,
  formatIssue,
  type MappingIssue,
} from './errors';
export { parseMapping, safeParseMapping, type SafeParseMappingResult } from './parse-mapping';
export { parseSeedConsumerMapping, parseSeedProducerMapping } from './parse-seed-mapping';
export { compileMapping, compileSeedMapping, type SeedMapping } from './compile-mapping';
export type {
  ClusterRef,
  CompiledHandoff,
  CompiledMapping,
  NamedCluster,
} from './compiled-mapping';
export { toDocument } from './to-document';
export { composeMapping, type ComposeMappingInput } from './compose-mapping';
export {
  diffMappings,
  isEmptyDiff,
  type ClusterChange,
  type HandoffChange,
  type MappingDiff,
  type TopicChange,
} from './diff-mappings';
export { MAX_TOPIC_NAME_LENGTH, isValidTopicName, splitTopicKey, topicNameProblem } from './topic-name';
// The "path: found, expected" voice of mapping errors, shared by other documents' validation (routes).
export { ROOT_PATH, formatPath, type PathSegment } from './json-path';
export { fromZodIssues } from './zod-issues';
