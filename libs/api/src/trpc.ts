// The one tRPC instance of the management API: context, error translation and the base
// procedures per access level. Handlers throw FlotillaErrors; this is the only place they become
// TRPCErrors, and every error carries our code, `retryable` and the field at fault in `data`.
// Every procedure gets the registry from here; those that need a role also get their `changes`,
// audited as the procedure's path by the caller's credential.
import { assertRoleAllows, type AccessLevel } from '@flotilla/auth';
import { createRegistry } from '@flotilla/db';
import { FlotillaError, ValidationError, parseInput, type ErrorCode } from '@flotilla/errors';
import type { Logger } from '@flotilla/observability';
import { TRPCError, initTRPC } from '@trpc/server';
import type { z } from 'zod';
import { createChanges, transactOn } from './audit/audited-changes';
import { actorOf, type ApiContext } from './context';

type TrpcCode = TRPCError['code'];

const trpcCodes: Record<ErrorCode, TrpcCode> = {
  VALIDATION: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  BUFFER_FULL: 'TOO_MANY_REQUESTS',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

export interface FlotillaErrorData {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly field: string | undefined;
}

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause instanceof FlotillaError ? error.cause : undefined;
    const flotilla: FlotillaErrorData | undefined = cause && {
      code: cause.code,
      retryable: cause.retryable,
      field: cause instanceof ValidationError ? cause.field : undefined,
    };
    // Internal errors keep their details in the server log, not in the response.
    const message = error.code === 'INTERNAL_SERVER_ERROR' && !cause ? 'internal error (see the management log)' : shape.message;
    return { ...shape, message, data: { ...shape.data, stack: undefined, flotilla } };
  },
});

/**
 * A FlotillaError as the TRPCError the API answers with, keeping it as the cause. A dependency that
 * is down (Temporal, the database) is expected now and then: one warning for the operator, no
 * stack; the caller gets 503 with the same message.
 */
function toTrpcError(error: FlotillaError, logger: Logger, path: string | undefined): TRPCError {
  if (error.code === 'UNAVAILABLE') logger.warn({ path, reason: error.message }, 'procedure unavailable');
  return new TRPCError({ code: trpcCodes[error.code], message: error.message, cause: error });
}

/**
 * For work before any procedure runs (authentication in createContext reads the database): a
 * FlotillaError becomes its TRPCError as in a procedure (tRPC would make any throw there a 500).
 */
export function translateContextError(thrown: unknown, logger: Logger): never {
  throw thrown instanceof FlotillaError ? toTrpcError(thrown, logger, undefined) : thrown;
}

/** Turns a FlotillaError thrown by a handler into the matching TRPCError, keeping it as the cause. */
const translateErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof FlotillaError) throw toTrpcError(cause, ctx.services.logger, path);
  if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    ctx.services.logger.error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** No identity needed: health and the mapping (clients in other languages read it anonymously too). */
export const publicProcedure = t.procedure.use(translateErrors).use(({ ctx, next }) => next({ ctx: { ...ctx, registry: createRegistry(ctx.services.db) } }));

/** Any valid credential, with or without a management role (smart clients sending heartbeats). */
export const authenticatedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.identity) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authProblem ?? 'no credentials: send "authorization: Bearer <token>"' });
  }
  return next({ ctx: { ...ctx, identity: ctx.identity } });
});

function requiring(access: AccessLevel) {
  return authenticatedProcedure.use(({ ctx, next, path }) => {
    assertRoleAllows(ctx.identity.application, ctx.identity.role, access);
    return next({ ctx: { ...ctx, changes: createChanges(transactOn(ctx.services.db), actorOf(ctx.identity), path) } });
  });
}

export const viewerProcedure = requiring('read');
export const operatorProcedure = requiring('operate');
export const adminProcedure = requiring('admin');

/** What tRPC needs of a parser to type a procedure's input (`_input`) and parsed value (`_output`). */
export interface ValidatedParser<In, Out> {
  parse(input: unknown): Out;
  readonly _input: In;
  readonly _output: Out;
}

/**
 * An input parser that reports every problem with field, value and expectation (parseInput),
 * instead of tRPC's raw zod issue dump. `subject` names what the input describes. Callers see the
 * schema's input type (defaults optional), handlers its output type.
 */
export function validated<Schema extends z.ZodType>(schema: Schema, subject: string): ValidatedParser<z.input<Schema>, z.output<Schema>> {
  // _input and _output exist only in the type: tRPC reads them for inference, never at runtime.
  return { parse: (input: unknown) => parseInput(schema, input, subject) } as ValidatedParser<z.input<Schema>, z.output<Schema>>;
}
