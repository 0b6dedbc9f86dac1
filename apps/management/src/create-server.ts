// The management HTTP server: tRPC under /trpc, the mapping-follow endpoints under /v1/mapping,
// the route and access sets under /v1/routes and /v1/access, health and Prometheus metrics. Every
// request's caller is resolved once, in the tRPC context (or by the access set's own check).
import { appRouter, authenticate, translateContextError, type ApiContext, type ApiServices } from '@flotilla/api';
import { assertRoleAllows, certificateName } from '@flotilla/auth';
import { ForbiddenError } from '@flotilla/errors';
import type { Registry as MetricsRegistry } from '@flotilla/observability';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { registerVersionStream, type StreamRefusal } from './version-stream';

export interface ManagementServerOptions {
  readonly services: ApiServices;
  readonly metrics?: MetricsRegistry;
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port?: number;
  /** Largest request body; a bigger one is refused with 413 before it is parsed. */
  readonly bodyLimitBytes?: number;
  readonly heartbeatMs?: number;
  /** PEM contents; with `ca`, client certificates signed by it authenticate (mTLS). */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca?: string | undefined } | undefined;
}

export interface ManagementServer {
  readonly url: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function createManagementServer(options: ManagementServerOptions): Promise<ManagementServer> {
  const { services } = options;
  const tls = options.tls;
  const app = Fastify({
    ...(tls
      ? {
          https: {
            cert: tls.cert,
            key: tls.key,
            ...(tls.ca ? { ca: tls.ca, requestCert: true } : {}),
            // A client without a certificate may still use a token; only verified ones count.
            rejectUnauthorized: false,
          },
        }
      : {}),
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // tRPC batches calls in the URL; the default 100-character limit on params is for routes.
    routerOptions: { maxParamLength: 5_000 },
    forceCloseConnections: true,
    // No per-request logs: procedures log their own failures (libs/api translateErrors).
    logger: false,
  });

  const trpcOptions: FastifyTRPCPluginOptions<typeof appRouter> = {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: async ({ req }): Promise<ApiContext> => {
        const authorization = req.headers.authorization;
        const auth = await authenticate(services.db, { authorization, certificateSubject: verifiedSubject(req.raw.socket) }).catch((error: unknown) =>
          translateContextError(error, services.logger),
        );
        return { services, identity: auth.identity, authProblem: auth.problem };
      },
    },
  };
  await app.register(fastifyTRPCPlugin, trpcOptions);
  registerVersionStream(app, { path: '/v1/mapping', event: 'mapping', feed: services.mappingFeed }, options.heartbeatMs);
  if (services.routeSetFeed) registerVersionStream(app, { path: '/v1/routes', event: 'routes', feed: services.routeSetFeed }, options.heartbeatMs);
  if (services.accessSetFeed) {
    // The access set holds every active token's hash: operators (the proxies' role) and admins only.
    const authorize = (request: FastifyRequest) => operatorsOnly(services, request);
    registerVersionStream(app, { path: '/v1/access', event: 'access', feed: services.accessSetFeed, authorize }, options.heartbeatMs);
  }

  app.get('/healthz', async () => ({ ok: true, mappingVersion: services.mappingFeed.current()?.version ?? null }));
  if (options.metrics) {
    const metrics = options.metrics;
    app.get('/metrics', async (_request, reply) => reply.header('content-type', metrics.contentType).send(await metrics.metrics()));
  }

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    app,
    close: () => app.close(),
  };
}

/** 401 without a valid token or client certificate, 403 below the operator role, else nothing. */
async function operatorsOnly(services: ApiServices, request: FastifyRequest): Promise<StreamRefusal | undefined> {
  const auth = await authenticate(services.db, { authorization: request.headers.authorization, certificateSubject: verifiedSubject(request.raw.socket) });
  if (!auth.identity) return { status: 401, error: auth.problem ?? 'no credentials: send "authorization: Bearer <token>" or a client certificate' };
  try {
    assertRoleAllows(auth.identity.application, auth.identity.role, 'operate');
    return undefined;
  } catch (error: unknown) {
    if (error instanceof ForbiddenError) return { status: 403, error: error.message };
    throw error;
  }
}

/** The CN of a client certificate the TLS layer verified against our CA, or undefined. */
function verifiedSubject(socket: Socket): string | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  return certificateName(socket.getPeerCertificate().subject);
}
