// Roles of the management API (ARCHITECTURE.md §6). Three nested levels: every role may do what
// the roles below it may, so a check is one comparison and the table in the README is complete.
import { ForbiddenError } from '@flotilla/errors';

export const API_ROLES = ['admin', 'operator', 'viewer'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/**
 * - `read`: list and inspect clusters, topics, placements, mapping versions, applications,
 *   clients, operations, audit results.
 * - `operate`: change where traffic goes — create, move, expand and delete topics, publish
 *   mapping versions, start, pause and abort operations (failover, failback, drain).
 * - `admin`: change who may do what and what exists — applications, credentials and API tokens,
 *   policies, quotas, cluster registration and retirement.
 */
export const ACCESS_LEVELS = ['read', 'operate', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

const RANK: Readonly<Record<ApiRole, number>> = { viewer: 0, operator: 1, admin: 2 };
const REQUIRED_RANK: Readonly<Record<AccessLevel, number>> = { read: 0, operate: 1, admin: 2 };

/** The least role that grants `access`. */
export function minimumRole(access: AccessLevel): ApiRole {
  return access === 'admin' ? 'admin' : access === 'operate' ? 'operator' : 'viewer';
}

/**
 * Whether `role` grants `access`. A credential without a role (null / undefined) is good for the
 * data plane only and grants no management access at all; so does anything that is not a role.
 */
export function roleAllows(role: ApiRole | null | undefined, access: AccessLevel): boolean {
  if (role === null || role === undefined || !Object.hasOwn(RANK, role)) return false;
  const required = Object.hasOwn(REQUIRED_RANK, access) ? REQUIRED_RANK[access] : undefined;
  return required !== undefined && RANK[role] >= required;
}

/** Throws a ForbiddenError naming the application, its role and the role needed. */
export function assertRoleAllows(
  application: string,
  role: ApiRole | null | undefined,
  access: AccessLevel,
): void {
  if (roleAllows(role, access)) return;
  const has = role === null || role === undefined ? 'no management role' : `role "${role}"`;
  throw new ForbiddenError(
    `app ${JSON.stringify(application)} has ${has}; ${access} access needs role "${minimumRole(access)}" or higher`,
  );
}
