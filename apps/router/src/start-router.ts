// Starts a router: one live mapping for all its clients, one smart producer for the routes'
// destinations and dead letters, the route set followed from management, and an HTTP server
// with /metrics, /healthz and /readyz (ready once it has a mapping and management's route set).
import Fastify from 'fastify';
import { liveMappingSource, MultiClusterProducer } from '@flotilla/client';
import { transportFor } from '@flotilla/kafka';
import { createMetricsRegistry, type Logger } from '@flotilla/observability';
import type { RouterConfig } from './config';
import { DestinationPartitions } from './destination-partitions';
import { MappingHub } from './mapping-hub';
import { Router } from './router';
import { RouterMetrics } from './router-metrics';
import { RouteSetFollower } from './route-set-follower';

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
  const partitions = new DestinationPartitions();
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
  const follower = new RouteSetFollower({
    url: config.FLOTILLA_MANAGEMENT_URL,
    onRouteSet: (set) => {
      logger.info({ version: set.version, routes: set.routes.map((r) => `${r.name} (${r.state})`) }, 'route set');
      void router.apply(set);
    },
    onWarning: (message, details) => logger.warn(details, message),
  });
  follower.start();

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
