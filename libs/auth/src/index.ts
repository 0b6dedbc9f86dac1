// @flotilla/auth: the one policy engine of ARCHITECTURE.md §6, shared by the proxy, the
// management API and the broker ACL synchroniser. Verbs and resources, policies and decisions,
// management roles, API tokens and per-application quotas. Pure: no I/O.
export { VERBS, POLICY_VERBS, isVerb, type Verb, type PolicyVerb } from './verb';
export { KAFKA_OPERATIONS, verbFor, topicAccess, type KafkaOperation } from './kafka-operation';
export { TOPICS_PREFIX, resourceForTopic, topicOfResource } from './topic-resource';
export { MAX_RESOURCE_LENGTH, RESOURCE_EXPECTATION, isResource, resourceProblem } from './resource-path';
export {
  RESOURCE_PATTERN_EXPECTATION,
  compileResourcePattern,
  isResourcePattern,
  resourcePatternProblem,
  type ResourceMatcher,
} from './resource-pattern';
export {
  APPLICATION_ID_EXPECTATION,
  APPLICATION_ID_PATTERN,
  applicationIdSchema,
  isApplicationId,
} from './application-id';
export {
  POLICY_EFFECTS,
  formatPolicy,
  parsePolicy,
  policyInputSchema,
  storedPolicySchema,
  type Policy,
  type PolicyEffect,
  type PolicyInput,
} from './policy';
export type { AccessDecision, AccessRequest } from './access-request';
export { authorize, compilePolicies, type PolicySet } from './compile-policies';
export {
  ACCESS_LEVELS,
  API_ROLES,
  assertRoleAllows,
  minimumRole,
  roleAllows,
  type AccessLevel,
  type ApiRole,
} from './api-role';
export {
  API_TOKEN_PREFIX,
  TOKEN_HASH_PATTERN,
  TOKEN_ID_PATTERN,
  TOKEN_SECRET_BYTES,
  generateApiToken,
  hashApiToken,
  parseApiToken,
  verifyApiToken,
  type GeneratedApiToken,
  type ParsedApiToken,
} from './api-token';
export { accessSetSchema, parseAccessSet, type AccessSetDocument } from './access-set';
export { hashesEqual } from './hashes-equal';
export { parseQuota, quotaInputSchema, quotaLimitSchema, type Quota, type QuotaInput } from './quota';
export {
  QuotaLimiter,
  retryAfterSeconds,
  type Clock,
  type QuotaDecision,
  type QuotaLimit,
  type QuotaLimiterOptions,
} from './quota-limiter';
export { certificateName } from './certificate-subject';
export {
  MAX_CERTIFICATE_DAYS,
  createCertificateAuthority,
  signCertificate,
  type CertificateAuthorityPem,
  type CertificateRequest,
  type SignedCertificate,
} from './certificate-authority';
export {
  KAFKA_CLUSTER_RESOURCE,
  PLATFORM_PRINCIPAL,
  aclKey,
  aclsForPolicies,
  aclsForPolicy,
  applicationOfPrincipal,
  groupPrefixOf,
  platformAcls,
  principalOf,
  type AclBinding,
  type AclOperation,
  type AclPatternType,
  type AclPermission,
  type AclResourceType,
  type PolicyAcls,
} from './kafka-acls';
