export { createClusterRepository } from './cluster-repository';
export type { ClusterRepository } from './cluster-repository';
export { createDb } from './create-db';
export type {
  CreateDbOptions,
  Database,
  DbHandle,
  Dialect,
  PgliteDbHandle,
  PgliteDbOptions,
  PostgresDbHandle,
  PostgresDbOptions,
  Schema,
} from './create-db';
export { describeDatabase } from './describe-database';
export { defaultMigrationsFolder, migrate } from './migrate';
export type { MigrateOptions, MigrationReport } from './migrate';
export {
  clusterRoles,
  clusterStateSchema,
  clusterStates,
  clusterTiers,
  newClusterSchema,
} from './schema/clusters';
export type { Cluster, ClusterRole, ClusterState, ClusterTier, NewCluster } from './schema/clusters';
export { createTopicRepository } from './topic-repository';
export type { TopicRepository } from './topic-repository';
export { createPlacementRepository } from './placement-repository';
export type { PlacementRepository, TopicPlacement } from './placement-repository';
export { createHandoffRepository } from './handoff-repository';
export type { HandoffRepository, NewHandoff } from './handoff-repository';
export { createMappingRepository } from './mapping-repository';
export type { MappingRepository, MappingVersion, MappingVersionSummary, PublishInput } from './mapping-repository';
export { createRouteSetRepository, routeStates } from './route-set-repository';
export type { RouteSetDocument, RouteSetRepository, RouteSetVersion, RouteState, StoredRoute } from './route-set-repository';
export { createAccessSetRepository } from './access-set-repository';
export type { AccessSetRepository, AccessSetVersion } from './access-set-repository';
export type { VersionedDocument, VersionedDocumentRepository, VersionSummary } from './versioned-document-repository';
export { newTopicSchema, topicNameSchema } from './schema/topics';
export type { NewTopic, Topic } from './schema/topics';
export { placementSides } from './schema/placements';
export type { Placement, PlacementSide } from './schema/placements';
export type { Handoff } from './schema/handoffs';
export { createRegistry, inTransaction } from './registry';
export type { Registry } from './registry';
export { createScratchDatabase, type ScratchDatabase } from './scratch-database';
export { createApplicationRepository } from './application-repository';
export type { ApplicationRepository } from './application-repository';
export { createCredentialRepository } from './credential-repository';
export type { ActiveCredential, ActiveTokenCredential, CredentialListFilter, CredentialRepository } from './credential-repository';
export { createPolicyRepository } from './policy-repository';
export type { PolicyListFilter, PolicyRepository } from './policy-repository';
export { createQuotaRepository } from './quota-repository';
export type { QuotaRepository } from './quota-repository';
export { createCertificateAuthorityRepository } from './certificate-authority-repository';
export type { CertificateAuthorityRepository } from './certificate-authority-repository';
export type { CertificateAuthority } from './schema/certificate-authorities';
export { createKafkaCredentialRepository } from './kafka-credential-repository';
export type { KafkaCredentialRepository } from './kafka-credential-repository';
export type { KafkaCredential } from './schema/kafka-credentials';
export { createClientSessionRepository } from './client-session-repository';
export type { ClientSessionRepository, TopicClients } from './client-session-repository';
export { createOperationRepository } from './operation-repository';
export type { OperationRepository } from './operation-repository';
export { createAuditLogRepository } from './audit-log-repository';
export type { AuditLogRepository } from './audit-log-repository';
export { applicationIdSchema, newApplicationSchema } from './schema/applications';
export type { Application, NewApplication } from './schema/applications';
export { apiRoles, credentialKinds, newMtlsCredentialSchema, newTokenCredentialSchema, tokenIdSchema } from './schema/credentials';
export type { ApiRole, Credential, CredentialKind, NewMtlsCredential, NewTokenCredential, PublicCredential } from './schema/credentials';
export { newPolicySchema, policyEffects, policyVerbs } from './schema/policies';
export type { NewPolicy, Policy, PolicyEffect, PolicyVerb } from './schema/policies';
export { quotaSchema } from './schema/quotas';
export type { Quota, QuotaInput } from './schema/quotas';
export { clientKinds, clientSessionFilterSchema, heartbeatSchema, windowsKeptPerTopic } from './schema/client-sessions';
export type { ClientKind, ClientSession, ClientSessionFilter, Heartbeat, RouteReport, RouteReports, RouteWindowCounts, WindowCounts } from './schema/client-sessions';
export { newOperationSchema, operationStateSchema, operationStates } from './schema/operations';
export type { NewOperation, Operation, OperationFilter, OperationState } from './schema/operations';
export { auditQuerySchema, newAuditEntrySchema } from './schema/audit-log';
export type { AuditEntry, AuditQuery, NewAuditEntry } from './schema/audit-log';
