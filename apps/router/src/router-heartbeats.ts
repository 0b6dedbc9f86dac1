// The router's heartbeats to management, on the smart clients' path (clients.heartbeat) with a
// `routes` section: the mapping version its producers and consumers run, the topics it reads
// (route sources) and writes (destinations, dead-letter topics), so a topic move counts it like
// any producer, and per route its lag and counts per window, which `flotilla routes describe`
// shows. Failures never touch routing: a refused or lost beat is logged once and retried.
import { startHeartbeats, type HeartbeatReporter, type HeartbeatSnapshot, type MappingHub } from '@flotilla/client/internal';
import type { Logger } from '@flotilla/observability';
import type { RouteActivity } from './route-activity';
import type { Router } from './router';

export interface RouterHeartbeatOptions {
  readonly url: string;
  readonly token: string;
  /** Unique per router process: management lists one instance per client id. */
  readonly clientId: string;
  readonly host: string;
  readonly intervalMs: number;
  readonly router: Router;
  readonly hub: MappingHub;
  readonly activity: RouteActivity;
  readonly logger: Logger;
}

export function startRouterHeartbeats(options: RouterHeartbeatOptions): HeartbeatReporter {
  const { router, hub, activity, logger } = options;
  let failing = false;
  const snapshot = async (): Promise<HeartbeatSnapshot> => {
    const { version } = router.status();
    const routes = router.running();
    const produces = new Set<string>();
    const consumes = new Set<string>();
    for (const { route } of routes) {
      consumes.add(route.definition.source);
      for (const { topic } of route.definition.destinations) produces.add(topic);
      produces.add(route.definition.deadLetterTopic);
    }
    return {
      mappingVersion: hub.current()?.version,
      produces: [...produces],
      consumes: [...consumes],
      routes: await activity.sample(routes.map(({ name }) => ({ name, routeSetVersion: version }))),
    };
  };
  const reporter = startHeartbeats({
    url: options.url,
    token: options.token,
    clientId: options.clientId,
    kind: 'router',
    host: options.host,
    intervalMs: options.intervalMs,
    snapshot,
    onAnswered: () => {
      if (failing) logger.info({ management: options.url }, 'heartbeats reach management again');
      failing = false;
    },
    onError: (error) => {
      if (!failing) logger.warn({ management: options.url, reason: error.message }, 'heartbeat failed; retrying (routing is not affected)');
      failing = true;
    },
  });
  return reporter;
}
