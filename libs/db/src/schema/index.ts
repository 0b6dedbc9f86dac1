// Every table, as one object for drizzle's relational queries and for drizzle-kit.
export { accessSetHead, accessSetVersions } from './access-sets';
export { applications } from './applications';
export { auditLog } from './audit-log';
export { certificateAuthorities } from './certificate-authorities';
export { clientSessions } from './client-sessions';
export { clusters } from './clusters';
export { credentials } from './credentials';
export { handoffs } from './handoffs';
export { kafkaCredentials } from './kafka-credentials';
export { mappingHead, mappingVersions } from './mapping-versions';
export { operations } from './operations';
export { placements } from './placements';
export { policies } from './policies';
export { quotas } from './quotas';
export { routeSetHead, routeSetVersions } from './route-sets';
export { topics } from './topics';
