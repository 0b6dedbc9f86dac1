// Follows management's route set (`GET /v1/routes/stream`, one whole route set per event): each
// newer version is parsed and handed on. A lost stream is retried while the routes in force keep
// running; a route whose stored definition this router cannot parse is reported and left out, the
// others run.
import { DocumentFollower } from '@flotilla/client/internal';
import { UnavailableError } from '@flotilla/errors';
import { compileRoute, parseRouteDefinition, type CompiledRoute } from '@flotilla/routes';

export interface RunnableRoute {
  readonly name: string;
  readonly state: 'active' | 'paused';
  readonly route: CompiledRoute;
  /** The stored definition's JSON: a route is restarted only when this changes. */
  readonly fingerprint: string;
}

export interface RouteSet {
  readonly version: number;
  readonly routes: readonly RunnableRoute[];
}

export interface RouteSetFollowerOptions {
  /** Management's base URL. */
  readonly url: string;
  readonly onRouteSet: (set: RouteSet) => void;
  /** A lost stream, a route left out: logged, nothing else changes. */
  readonly onWarning: (message: string, details: Record<string, unknown>) => void;
}

export function followRouteSets(options: RouteSetFollowerOptions): DocumentFollower {
  return new DocumentFollower({
    url: options.url,
    path: 'v1/routes/stream',
    event: 'routes',
    onDocument: (document) => {
      const set = toRouteSet(document, (name, reason) => options.onWarning('route left out: its definition does not parse here', { route: name, reason }));
      if (set) options.onRouteSet(set);
      else options.onWarning('route set event has no routes; ignored', { version: document.version });
    },
    onWarning: options.onWarning,
  });
}

/** The runnable routes of a route set document; undefined when it is not one. */
export function toRouteSet(document: unknown, leftOut: (name: string, reason: string) => void): RouteSet | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const { version, routes } = document as { version?: unknown; routes?: unknown };
  if (typeof version !== 'number' || !Array.isArray(routes)) return undefined;
  const runnable: RunnableRoute[] = [];
  for (const stored of routes as { name?: unknown; state?: unknown; definition?: unknown }[]) {
    const name = typeof stored?.name === 'string' ? stored.name : '(unnamed)';
    try {
      if (stored.state !== 'active' && stored.state !== 'paused') throw new UnavailableError(`unknown state ${JSON.stringify(stored.state)}`);
      const route = compileRoute(parseRouteDefinition(stored.definition));
      runnable.push({ name: route.definition.name, state: stored.state, route, fingerprint: JSON.stringify(stored.definition) });
    } catch (error) {
      leftOut(name, error instanceof Error ? error.message : String(error));
    }
  }
  return { version, routes: runnable };
}
