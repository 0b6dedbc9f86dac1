// One call of management's tRPC API over plain HTTP (the same wire format the heartbeats use), for
// the front door's admin: the answer's data, or the FlotillaError management answered with,
// rebuilt from the `code`, `retryable` and `field` its error formatter puts in every error.
import { FlotillaError, ForbiddenError, UnavailableError, ValidationError, errorCodes, type ErrorCode } from '@flotilla/errors';

export interface ManagementEndpoint {
  /** Management's base URL (the front door's `mappingUrl`). */
  readonly url: string;
  /** An API token; the procedures that change topics need one with the operator role. */
  readonly token: string;
}

const CALL_TIMEOUT_MS = 30_000;

/** Calls a mutation (`topics.create`) with its input; resolves with what the procedure returned. */
export async function callManagement(endpoint: ManagementEndpoint, procedure: string, input: unknown): Promise<unknown> {
  const where = `management at ${endpoint.url}`;
  let response: Response;
  try {
    response = await fetch(`${endpoint.url.replace(/\/+$/, '')}/trpc/${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${endpoint.token}` },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (error) {
    throw new UnavailableError(`${procedure}: ${where} did not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const text = await response.text();
  const body = parseBody(text);
  if (response.ok && body?.result !== undefined) return body.result.data;
  throw managementError(procedure, where, response.status, body?.error, text);
}

interface TrpcBody {
  result?: { data?: unknown };
  error?: TrpcErrorBody;
}

interface TrpcErrorBody {
  message?: unknown;
  data?: { flotilla?: { code?: unknown; retryable?: unknown; field?: unknown } | null };
}

function parseBody(text: string): TrpcBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as TrpcBody) : undefined;
  } catch {
    return undefined;
  }
}

/** The error management answered with, as the FlotillaError it was on the server. */
export function managementError(procedure: string, where: string, status: number, error: TrpcErrorBody | undefined, text = ''): FlotillaError {
  const message = `${procedure}: ${typeof error?.message === 'string' ? error.message : `${where} answered ${status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`}`;
  const flotilla = error?.data?.flotilla;
  const code = isErrorCode(flotilla?.code) ? flotilla.code : codeOfStatus(status);
  const retryable = typeof flotilla?.retryable === 'boolean' ? { retryable: flotilla.retryable } : {};
  switch (code) {
    case 'VALIDATION':
      return new ValidationError(message, { ...retryable, ...(typeof flotilla?.field === 'string' ? { field: flotilla.field } : {}) });
    case 'FORBIDDEN':
      return new ForbiddenError(message, retryable);
    case 'UNAVAILABLE':
      return new UnavailableError(message, retryable);
    default:
      // NotFound and Conflict carry a resource and id management did not send apart: the base
      // class with their code, so callers still tell them apart by `code`.
      return new FlotillaError(code, message, retryable);
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** Answers without Flotilla's data: tRPC's own (401 without a valid token) or a proxy's. */
function codeOfStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 400 || status === 413) return 'VALIDATION';
  if (status >= 500 || status === 429) return 'UNAVAILABLE';
  return 'INTERNAL';
}

