import { BufferFullError } from '@flotilla/client';
import { NotFoundError, ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { HttpError, toHttpError } from './http-error';

describe('toHttpError', () => {
  it('answers each kind of error with its status and one JSON shape', () => {
    expect(toHttpError(new ValidationError('records.0.value: bad', { field: 'records.0.value' })).body()).toEqual({
      error: { status: 400, code: 'VALIDATION', message: 'records.0.value: bad', field: 'records.0.value' },
    });
    expect(toHttpError(new NotFoundError('topic', 'x')).status).toBe(404);
    expect(toHttpError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'too large' }).status).toBe(413);
    expect(toHttpError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }).status).toBe(415);
    expect(toHttpError(new SyntaxError('Unexpected end of JSON input')).body().error.field).toBe('body');
  });

  it('asks to retry after a full buffer, and says nothing of an unexpected error\'s insides', () => {
    const full = toHttpError(new BufferFullError({ limit: 'records', usage: { records: 10, bytes: 10 }, limits: { maxRecords: 10, maxBytes: 100 }, adding: { records: 1, bytes: 1 } } as never));
    expect([full.status, full.options.retryAfterSeconds]).toEqual([503, 1]);
    const internal = toHttpError(new Error('secret detail'));
    expect(internal.status).toBe(500);
    expect(internal.message).not.toContain('secret');
    expect(toHttpError(new HttpError(429, 'QUOTA_EXCEEDED', 'slow down'))).toBeInstanceOf(HttpError);
  });
});
