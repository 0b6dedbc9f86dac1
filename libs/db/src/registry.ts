// Every repository over one database handle, and `inTransaction` to run several of them as one
// change: a registry write, the mapping version it causes and its audit entry commit together or
// not at all (STYLE.md: never half-written).
import type { Database } from './create-db';
import { guard } from './database-error';
import { createClusterRepository, type ClusterRepository } from './cluster-repository';
import { createHandoffRepository, type HandoffRepository } from './handoff-repository';
import { createMappingRepository, type MappingRepository } from './mapping-repository';
import { createPlacementRepository, type PlacementRepository } from './placement-repository';
import { createTopicRepository, type TopicRepository } from './topic-repository';
import { createAccessSetRepository, type AccessSetRepository } from './access-set-repository';
import { createApplicationRepository, type ApplicationRepository } from './application-repository';
import { createAuditLogRepository, type AuditLogRepository } from './audit-log-repository';
import { createCertificateAuthorityRepository, type CertificateAuthorityRepository } from './certificate-authority-repository';
import { createClientSessionRepository, type ClientSessionRepository } from './client-session-repository';
import { createCredentialRepository, type CredentialRepository } from './credential-repository';
import { createKafkaCredentialRepository, type KafkaCredentialRepository } from './kafka-credential-repository';
import { createOperationRepository, type OperationRepository } from './operation-repository';
import { createPolicyRepository, type PolicyRepository } from './policy-repository';
import { createQuotaRepository, type QuotaRepository } from './quota-repository';
import { createRouteSetRepository, type RouteSetRepository } from './route-set-repository';

export interface Registry {
  readonly clusters: ClusterRepository;
  readonly topics: TopicRepository;
  readonly placements: PlacementRepository;
  readonly handoffs: HandoffRepository;
  readonly mapping: MappingRepository;
  readonly routes: RouteSetRepository;
  readonly access: AccessSetRepository;
  readonly applications: ApplicationRepository;
  readonly credentials: CredentialRepository;
  readonly policies: PolicyRepository;
  readonly quotas: QuotaRepository;
  readonly certificateAuthority: CertificateAuthorityRepository;
  readonly kafkaCredentials: KafkaCredentialRepository;
  readonly clients: ClientSessionRepository;
  readonly operations: OperationRepository;
  readonly audit: AuditLogRepository;
}

export function createRegistry(db: Database): Registry {
  return {
    clusters: createClusterRepository(db),
    topics: createTopicRepository(db),
    placements: createPlacementRepository(db),
    handoffs: createHandoffRepository(db),
    mapping: createMappingRepository(db),
    routes: createRouteSetRepository(db),
    access: createAccessSetRepository(db),
    applications: createApplicationRepository(db),
    credentials: createCredentialRepository(db),
    policies: createPolicyRepository(db),
    quotas: createQuotaRepository(db),
    certificateAuthority: createCertificateAuthorityRepository(db),
    kafkaCredentials: createKafkaCredentialRepository(db),
    clients: createClientSessionRepository(db),
    operations: createOperationRepository(db),
    audit: createAuditLogRepository(db),
  };
}

/** Runs `change` in one transaction; a throw rolls every write of it back and is rethrown. */
export function inTransaction<T>(db: Database, change: (registry: Registry) => Promise<T>): Promise<T> {
  return guard(() => db.transaction((tx) => change(createRegistry(tx))));
}
