// Every error the proxy answers has one JSON shape, `{ "error": { status, code, message, field? } }`,
// and a status that says what the client should do: 400 fix the request, 401 identify, 403 get a
// policy, 404 create the topic, 413 send less, 415 send JSON, 429 and 503 wait `Retry-After`.
import { FlotillaError, ValidationError } from '@flotilla/errors';

export interface ErrorBody {
  readonly error: { readonly status: number; readonly code: string; readonly message: string; readonly field?: string };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { readonly field?: string; readonly retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: { status: this.status, code: this.code, message: this.message, ...(this.options.field === undefined ? {} : { field: this.options.field }) } };
  }
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
  BUFFER_FULL: 503,
  UNAVAILABLE: 503,
};

/** Any error as the proxy answers it; one it did not expect is a 500 that says nothing of its insides. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof FlotillaError) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    const field = error instanceof ValidationError ? error.field : undefined;
    return new HttpError(status, error.code, error.message, {
      ...(field === undefined ? {} : { field }),
      ...(status === 503 ? { retryAfterSeconds: 1 } : {}),
    });
  }
  // Fastify's own: body too large, bad JSON, unsupported content type.
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new HttpError(413, 'BODY_TOO_LARGE', fastify.message ?? 'request body is too large');
  if (fastify.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  if (fastify.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new HttpError(400, 'VALIDATION', 'the body is empty: expected a JSON object', { field: 'body' });
  if (fastify.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return new HttpError(400, 'VALIDATION', `the body is not valid JSON: ${fastify.message ?? ''}`.trim(), { field: 'body' });
  }
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return new HttpError(fastify.statusCode, fastify.code ?? 'BAD_REQUEST', fastify.message ?? 'bad request');
  }
  return new HttpError(500, 'INTERNAL', 'the proxy failed to handle the request; nothing was written unless the answer says so');
}
