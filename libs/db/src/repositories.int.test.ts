// Runs every registry repository suite on PGlite always, and on PostgreSQL when
// FLOTILLA_TEST_DATABASE_URL points at one. One file, so PGlite's initdb runs once for all.
import { describe } from 'vitest';
import { applicationRepositorySuite } from './application-repository.suite';
import { auditLogRepositorySuite } from './audit-log-repository.suite';
import { certificateAuthorityRepositorySuite } from './certificate-authority-repository.suite';
import { kafkaCredentialRepositorySuite } from './kafka-credential-repository.suite';
import { clientSessionRepositorySuite } from './client-session-repository.suite';
import { credentialRepositorySuite } from './credential-repository.suite';
import { operationRepositorySuite } from './operation-repository.suite';
import { placementAndMappingSuite } from './placement-and-mapping.suite';
import { policyRepositorySuite } from './policy-repository.suite';
import { quotaRepositorySuite } from './quota-repository.suite';
import { describeOnEveryDatabase } from './test-support/database-drivers';

describeOnEveryDatabase('registry repositories', (makeDb) => {
  describe('applications', () => applicationRepositorySuite(makeDb));
  describe('credentials', () => credentialRepositorySuite(makeDb));
  describe('policies', () => policyRepositorySuite(makeDb));
  describe('quotas', () => quotaRepositorySuite(makeDb));
  describe('certificate authority', () => certificateAuthorityRepositorySuite(makeDb));
  describe('Kafka credentials', () => kafkaCredentialRepositorySuite(makeDb));
  describe('client sessions', () => clientSessionRepositorySuite(makeDb));
  describe('operations', () => operationRepositorySuite(makeDb));
  describe('audit log', () => auditLogRepositorySuite(makeDb));
  describe('topics, placements and mapping versions', () => placementAndMappingSuite(makeDb));
});
