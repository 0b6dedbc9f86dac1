import { ConflictError, FlotillaError, ForbiddenError, UnavailableError, ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { managementError } from './management-call';

const where = 'management at http://127.0.0.1:1';

describe('management errors as the FlotillaErrors they were on the server', () => {
  it('rebuilds the kind, retryable and field from the error formatter\'s data', () => {
    const invalid = managementError('topics.create', where, 400, { message: 'invalid topic: name: too long', data: { flotilla: { code: 'VALIDATION', retryable: false, field: 'name' } } });
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ message: 'topics.create: invalid topic: name: too long', field: 'name', retriable: false });

    const denied = managementError('topics.create', where, 403, { message: 'app "x" has no management role', data: { flotilla: { code: 'FORBIDDEN', retryable: false, field: null } } });
    expect(denied).toBeInstanceOf(ForbiddenError);

    const conflict = managementError('topics.create', where, 409, { message: 'topic "a" already exists with tier high', data: { flotilla: { code: 'CONFLICT', retryable: false, field: null } } });
    expect(conflict).toBeInstanceOf(FlotillaError);
    expect(conflict).not.toBeInstanceOf(ConflictError);
    expect(conflict.code).toBe('CONFLICT');
  });

  it('reads an answer without Flotilla data by its status: 401 is forbidden, 5xx retryable', () => {
    expect(managementError('topics.create', where, 401, { message: 'unknown API token abc' })).toMatchObject({ code: 'FORBIDDEN', message: 'topics.create: unknown API token abc' });
    const down = managementError('topics.create', where, 502, undefined, 'Bad Gateway');
    expect(down).toBeInstanceOf(UnavailableError);
    expect(down).toMatchObject({ retriable: true, message: `topics.create: ${where} answered 502: Bad Gateway` });
  });
});
