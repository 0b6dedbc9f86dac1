// Starts a router: one live mapping for all its clients, one smart producer for the routes'
// destinations and dead letters, the route set followed from management, and an HTTP server
// with /metrics, /healthz and /readyz (ready once it has a mapping and management's route set);
// heartbeats to management when it has a token.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import Fastify from 'fastify';
import { liveMappingSource, MultiClusterProducer } from '@flotilla/client';
import { transportFor } from '@flotilla/kafka';
import { createMetricsRegistry, type Logger } from '@flotilla/observability';
import type { RouterConfig } from './config';
import { TopicPartitionCounts } from '@flotilla/client/internal';
import { MappingHub } from '@flotilla/client/internal';
import { RouteActivity } from './route-activity';
import { Router } from './router';
import { startRouterHeartbeats } from './router-heartbeats';
import { RouterMetrics } from './router-metrics';
import { followRouteSets } from './route-set-follower';

export interface RunningRouter {
  readonly url: string;
  readonly router: Router;
  stop(): Promise<void>;
}

export async function startRouter(config: RouterConfig, logger: Logger): Promise<RunningRouter> {
  const registry = createMetricsRegistry('router');
  const metrics = new RouterMetrics(registry);
  const warn = (error: Error) => logger.warn({ reason: error.message }, 'mapping');
  const hub = new MappingHub(liveMappingSource({ url: config.FLOTILLA_MANAGEMENT_URL, cacheFile: config.ROUTER_MAPPING_CACHE, onWarning: warn }));
  await hub.start();
  const producer = new MultiClusterProducer({
    clientId: config.ROUTER_CLIENT_ID,
    mapping: hub.view(),
    transport: transportFor(config.ROUTER_PRODUCER_TRANSPORT),
    metrics: registry,
  });
  await producer.connect();
  const partitions = new TopicPartitionCounts();
  const router = new Router({
    hub,
    producer,
    consumerTransport: transportFor(config.ROUTER_CONSUMER_TRANSPORT),
    producerTransport: transportFor(config.ROUTER_PRODUCER_TRANSPORT),
    partitions,
    metrics,
    logger,
    clientId: config.ROUTER_CLIENT_ID,
    concurrency: config.ROUTER_CONCURRENCY,
  });
  const follower = followRouteSets({
    url: config.FLOTILLA_MANAGEMENT_URL,
    onRouteSet: (set) => {
      logger.info({ version: set.version, routes: set.routes.map((r) => `${r.name} (${r.state})`) }, 'route set');
      void router.apply(set);
    },
    onWarning: (message, details) => logger.warn(details, message),
  });
  follower.start();
  const token = await heartbeatToken(config, logger);
  const heartbeats =
    token === undefined
      ? undefined
      : startRouterHeartbeats({
          url: config.FLOTILLA_MANAGEMENT_URL,
          token,
          // One instance per process: routers sharing ROUTER_CLIENT_ID are told apart by host and pid.
          clientId: `${config.ROUTER_CLIENT_ID}/${hostname()}/${process.pid}`,
          host: hostname(),
          intervalMs: config.ROUTER_HEARTBEAT_INTERVAL_MS,
          router,
          hub,
          activity: new RouteActivity(metrics),
          logger,
        });

  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const mapping = hub.current();
    // Management answered the route set stream (a set that was never published is no routes).
    const ready = mapping !== undefined && (follower.version > 0 || follower.opened);
    return reply.code(ready ? 200 : 503).send({ ready, mappingVersion: mapping?.version ?? null, ...router.status() });
  });
  app.get('/metrics', async (_request, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
  const address = await app.listen({ host: config.ROUTER_HOST, port: config.ROUTER_PORT });

  return {
    url: address,
    router,
    stop: async () => {
      heartbeats?.stop();
      follower.stop();
      await app.close();
      await router.close();
      // Every route's records are acknowledged (or their batches uncommitted) before the producer goes.
      await producer.disconnect();
      await partitions.close();
      await hub.stop();
    },
  };
}

/** FLOTILLA_ROUTER_TOKEN, else the first line of FLOTILLA_ROUTER_TOKEN_FILE; undefined (said once) without either. */
async function heartbeatToken(config: RouterConfig, logger: Logger): Promise<string | undefined> {
  if (config.FLOTILLA_ROUTER_TOKEN !== undefined) return config.FLOTILLA_ROUTER_TOKEN;
  const file = config.FLOTILLA_ROUTER_TOKEN_FILE;
  const token = file === undefined ? undefined : await readFile(file, 'utf8').then((text) => text.trim() || undefined, () => undefined);
  if (token === undefined) {
    const why = file === undefined ? 'neither FLOTILLA_ROUTER_TOKEN nor FLOTILLA_ROUTER_TOKEN_FILE is set' : `FLOTILLA_ROUTER_TOKEN_FILE ${file} holds no token`;
    logger.warn({}, `no heartbeats to management: ${why} (flotilla routes describe will not list this router)`);
  }
  return token;
}
