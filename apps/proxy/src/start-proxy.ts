// Starts the HTTP proxy: the access set followed from management (who may do what), one smart
// producer over the live mapping, and the Fastify server with the produce endpoint, /openapi.json,
// /healthz, /readyz (a mapping and an access set) and /metrics.
import { readFile } from 'node:fs/promises';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { liveMappingSource, MultiClusterProducer } from '@flotilla/client';
import { DocumentFollower } from '@flotilla/client/internal';
import { transportFor } from '@flotilla/kafka';
import { createMetricsRegistry, type Logger } from '@flotilla/observability';
import { accessSetSchema } from '@flotilla/auth';
import { Access } from './access';
import type { ProxyConfig } from './config';
import { HttpError, toHttpError } from './http-error';
import { openApiDocument } from './openapi';
import { produce } from './produce';
import { ProxyMetrics } from './proxy-metrics';

export interface RunningProxy {
  readonly url: string;
  readonly access: Access;
  stop(): Promise<void>;
}

export async function startProxy(config: ProxyConfig, logger: Logger): Promise<RunningProxy> {
  const registry = createMetricsRegistry('proxy');
  const metrics = new ProxyMetrics(registry);
  const access = new Access();
  const token = config.FLOTILLA_PROXY_TOKEN ?? (await readFile(config.FLOTILLA_PROXY_TOKEN_FILE, 'utf8')).trim();
  const follower = new DocumentFollower({
    url: config.FLOTILLA_MANAGEMENT_URL,
    path: 'v1/access/stream',
    event: 'access',
    headers: () => ({ authorization: `Bearer ${token}` }),
    onDocument: (document) => {
      const parsed = accessSetSchema.safeParse(document);
      if (!parsed.success) {
        logger.warn({ version: document.version, reason: parsed.error.message }, 'access set refused; the previous one stays');
        return;
      }
      access.replace(parsed.data);
      logger.info({ version: parsed.data.version, tokens: parsed.data.tokens.length, policies: parsed.data.policies.length }, 'access set');
    },
    onWarning: (message, details) => logger.warn(details, message),
  });
  follower.start();

  const mapping = liveMappingSource({ url: config.FLOTILLA_MANAGEMENT_URL, cacheFile: config.PROXY_MAPPING_CACHE, onWarning: (error) => logger.warn({ reason: error.message }, 'mapping') });
  const producer = new MultiClusterProducer({ clientId: 'flotilla-proxy', mapping, transport: transportFor(config.PROXY_TRANSPORT), metrics: registry });
  await producer.connect();

  const app = Fastify({ logger: false, bodyLimit: config.PROXY_BODY_LIMIT });
  // Bodies are JSON only: anything else is a 415, not a string the handler would have to refuse.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error, _request, reply) => answerError(reply, toHttpError(error), metrics));
  app.setNotFoundHandler((request, reply) => answerError(reply, new HttpError(404, 'NOT_FOUND', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`), metrics));

  app.post<{ Params: { topic: string } }>('/v1/topics/:topic/records', async (request, reply) => {
    const application = identify(access, request);
    const answer = await produce(
      { producer, mapping: () => mapping.current(), metrics, logger },
      {
        application,
        topic: request.params.topic,
        query: request.query,
        body: request.body,
        bytes: Number(request.headers['content-length'] ?? 0),
        admit: (app, bytes) => access.admit(app, bytes),
        authorize: (app, resource) => access.authorize(app, 'PUT', resource),
      },
    );
    return reply.code(answer.status).send(answer.body);
  });
  app.get('/openapi.json', async () => openApiDocument('1'));
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const ready = mapping.current() !== undefined && access.version > 0;
    return reply.code(ready ? 200 : 503).send({ ready, mappingVersion: mapping.current()?.version ?? null, accessVersion: access.version || null });
  });
  app.get('/metrics', async (_request, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
  const url = await app.listen({ host: config.PROXY_HOST, port: config.PROXY_PORT });

  return {
    url,
    access,
    stop: async () => {
      await app.close();
      // Every record taken (also ack=async) is written or has failed before the producer goes.
      await producer.disconnect();
      follower.stop();
    },
  };
}

/** The application the request is, or a 401 saying why not. */
function identify(access: Access, request: FastifyRequest): string {
  if (access.version === 0) throw new HttpError(503, 'UNAVAILABLE', 'the proxy has not received the access set from management yet', { retryAfterSeconds: 1 });
  const header = request.headers.authorization;
  if (header === undefined) throw new HttpError(401, 'UNAUTHENTICATED', 'no identity: send Authorization: Bearer <API token>');
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'the Authorization header must be "Bearer <API token>"');
  const found = access.byToken(match[1]!);
  if ('problem' in found) throw new HttpError(401, 'UNAUTHENTICATED', found.problem);
  return found.application;
}

function answerError(reply: FastifyReply, error: HttpError, metrics: ProxyMetrics): FastifyReply {
  metrics.refused.inc({ status: String(error.status) });
  if (error.options.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.options.retryAfterSeconds));
  if (error.status === 401) void reply.header('www-authenticate', 'Bearer');
  return reply.code(error.status).send(error.body());
}
