// Starts the HTTP proxy: the access set followed from management (who may do what), one smart
// producer over the live mapping, the HTTP consumer instances, and the Fastify server with the
// produce and consume endpoints, /openapi.json, /healthz, /readyz (a mapping and an access set)
// and /metrics.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { accessSetSchema, certificateName } from '@flotilla/auth';
import { liveMappingSource, MultiClusterConsumer } from '@flotilla/client';
import { DocumentFollower, HeartbeatingProducer, TopicPartitionCounts, MappingHub } from '@flotilla/client/internal';
import { transportFor } from '@flotilla/kafka';
import { createMetricsRegistry, type Logger } from '@flotilla/observability';
import { Access } from './access';
import { ApplicationCounts } from './application-counts';
import type { ProxyConfig } from './config';
import { registerConsumeRoutes } from './consume-routes';
import { ConsumeSession, kafkaGroupId } from './consume-session';
import { ConsumeSessions } from './consume-sessions';
import { HttpError, toHttpError } from './http-error';
import { fetchManagementCa } from './management-ca';
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
  const counts = new ApplicationCounts();
  const partitions = new TopicPartitionCounts();
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

  // One mapping stream for the producer and every HTTP consumer instance.
  const hub = new MappingHub(liveMappingSource({ url: config.FLOTILLA_MANAGEMENT_URL, cacheFile: config.PROXY_MAPPING_CACHE, onWarning: (error) => logger.warn({ reason: error.message }, 'mapping') }));
  const mapping = hub.view();
  // Heartbeats make the proxy a producer management knows: a topic move waits for it to switch.
  const host = hostname();
  let failing = false;
  const producer = new HeartbeatingProducer(
    {
      url: config.FLOTILLA_MANAGEMENT_URL,
      token,
      clientId: `flotilla-proxy@${host}:${process.pid}`,
      kind: 'proxy',
      host,
      onError: (error) => {
        if (!failing) logger.warn({ reason: error.message }, 'heartbeat failed; retrying (records are not affected)');
        failing = true;
      },
      onAnswered: () => {
        failing = false;
      },
    },
    { clientId: 'flotilla-proxy', mapping, transport: transportFor(config.PROXY_TRANSPORT), metrics: registry, lingerMs: config.PROXY_LINGER_MS },
    () => ({ applications: counts.snapshot() }),
  );
  await producer.connect();

  const tls = await readTls(config, token);
  // Over TLS: HTTP/2 and HTTP/1.1 on one port (ALPN); without: HTTP/1.1 with keep-alive.
  const app = (
    tls
      ? Fastify({ logger: false, bodyLimit: config.PROXY_BODY_LIMIT, http2: true, https: { allowHTTP1: true, ...tls, requestCert: true, rejectUnauthorized: false } })
      : Fastify({ logger: false, bodyLimit: config.PROXY_BODY_LIMIT })
  ) as unknown as FastifyInstance;
  // Bodies are JSON only: anything else is a 415, not a string the handler would have to refuse.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error, _request, reply) => answerError(reply, toHttpError(error), metrics));
  app.setNotFoundHandler((request, reply) => answerError(reply, new HttpError(404, 'NOT_FOUND', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`), metrics));

  app.post<{ Params: { topic: string } }>('/v1/topics/:topic/records', async (request, reply) => {
    const application = identify(access, request);
    const answer = await produce(
      { producer, mapping: () => mapping.current(), metrics, partitions, counts, logger },
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
  const sessions = new ConsumeSessions<ConsumeSession>({
    create: (key) =>
      new ConsumeSession(
        key,
        new MultiClusterConsumer({ groupId: kafkaGroupId(key), clientId: `flotilla-proxy-${key.consumer}`, mapping: hub.view(), transport: transportFor(config.PROXY_TRANSPORT), tuning: { sessionTimeoutMs: config.PROXY_CONSUMER_SESSION_TIMEOUT_MS } }),
        Date.now,
        (records, bytes) => counts.consumed(key.application, records, bytes),
      ),
    idleMs: config.PROXY_CONSUMER_IDLE_MS,
    max: config.PROXY_CONSUMERS_MAX,
    onEnded: (key, reason) => logger.info({ ...key, reason }, 'HTTP consumer ended'),
  });
  sessions.startSweeping();
  registerConsumeRoutes(app, {
    sessions,
    mapping: () => mapping.current(),
    identify: (request) => identify(access, request),
    authorize: (app, resource) => access.authorize(app, 'GET', resource),
    admit: (app, bytes) => access.admit(app, bytes),
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
      // Consumer instances end first: their streams and long polls end, and they leave their groups.
      await Promise.all([sessions.closeAll(), app.close()]);
      // Every record taken (also ack=async) is written or has failed before the producer goes.
      await producer.disconnect();
      await partitions.close();
      await hub.stop();
      follower.stop();
    },
  };
}

/** The application the request is: its Bearer token's, else its verified client certificate's; or a 401 saying why not. */
function identify(access: Access, request: FastifyRequest): string {
  if (access.version === 0) throw new HttpError(503, 'UNAVAILABLE', 'the proxy has not received the access set from management yet', { retryAfterSeconds: 1 });
  const header = request.headers.authorization;
  if (header === undefined) {
    const socket = request.raw.socket;
    if (socket instanceof TLSSocket && socket.getPeerCertificate().subject !== undefined) {
      if (!socket.authorized) throw new HttpError(401, 'UNAUTHENTICATED', `client certificate not accepted: ${String(socket.authorizationError)}`);
      const name = certificateName(socket.getPeerCertificate().subject);
      const found = name === undefined ? { problem: 'the client certificate has no subject CN' } : access.byCertificate(name);
      if ('problem' in found) throw new HttpError(401, 'UNAUTHENTICATED', found.problem);
      return found.application;
    }
    throw new HttpError(401, 'UNAUTHENTICATED', 'no identity: send Authorization: Bearer <API token>, or a client certificate');
  }
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

/** The TLS files; without PROXY_TLS_CA, client certificates are checked against management's CA. */
async function readTls(config: ProxyConfig, token: string): Promise<{ cert: string; key: string; ca: string } | undefined> {
  if (config.PROXY_TLS_CERT === undefined && config.PROXY_TLS_KEY === undefined) return undefined;
  if (config.PROXY_TLS_CERT === undefined || config.PROXY_TLS_KEY === undefined) throw new Error('PROXY_TLS_CERT and PROXY_TLS_KEY go together: give both PEM files, or neither');
  const [cert, key, ca] = await Promise.all([
    readFile(config.PROXY_TLS_CERT, 'utf8'),
    readFile(config.PROXY_TLS_KEY, 'utf8'),
    config.PROXY_TLS_CA === undefined ? fetchManagementCa(config.FLOTILLA_MANAGEMENT_URL, token) : readFile(config.PROXY_TLS_CA, 'utf8'),
  ]);
  return { cert, key, ca };
}
