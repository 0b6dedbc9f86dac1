import { ForbiddenError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { ACCESS_LEVELS, API_ROLES, assertRoleAllows, minimumRole, roleAllows, type ApiRole } from './index';

describe('management API roles', () => {
  it('grants viewer read, operator read and operate, admin everything', () => {
    const table = Object.fromEntries(
      API_ROLES.map((role) => [role, ACCESS_LEVELS.filter((access) => roleAllows(role, access))]),
    );
    expect(table).toEqual({
      viewer: ['read'],
      operator: ['read', 'operate'],
      admin: ['read', 'operate', 'admin'],
    });
    expect(ACCESS_LEVELS.map(minimumRole)).toEqual(['viewer', 'operator', 'admin']);
  });

  it('grants nothing to a credential without a role, or to something that is not a role', () => {
    for (const access of ACCESS_LEVELS) {
      expect(roleAllows(null, access)).toBe(false);
      expect(roleAllows(undefined, access)).toBe(false);
      expect(roleAllows('root' as ApiRole, access)).toBe(false);
      expect(roleAllows('toString' as ApiRole, access)).toBe(false);
    }
  });

  it('throws a ForbiddenError that says which role would do', () => {
    expect(() => assertRoleAllows('ops-bot', 'admin', 'admin')).not.toThrow();
    expect(() => assertRoleAllows('ops-bot', 'operator', 'admin')).toThrow(ForbiddenError);
    expect(() => assertRoleAllows('ops-bot', 'operator', 'admin')).toThrow(
      'app "ops-bot" has role "operator"; admin access needs role "admin" or higher',
    );
    expect(() => assertRoleAllows('ingest', null, 'read')).toThrow(
      'app "ingest" has no management role; read access needs role "viewer" or higher',
    );
  });
});
