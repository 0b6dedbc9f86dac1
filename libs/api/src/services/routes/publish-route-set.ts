// Publishes the next route set, composed from the one it follows. Called inside the transaction
// of the change that causes it (with its audit entry). The change runs after the head row is
// locked, on the version just before the new one, so two concurrent changes never compose from
// the same set and neither is lost; a change that throws publishes nothing.
import type { Registry, RouteSetVersion, StoredRoute } from '@flotilla/db';

export interface RouteSetChange {
  readonly author: string;
  readonly reason: string;
  /** The next set from the current one (sorted by name: route-set.ts). */
  readonly change: (routes: readonly StoredRoute[]) => StoredRoute[] | Promise<StoredRoute[]>;
}

export function publishRouteSet(registry: Registry, { author, reason, change }: RouteSetChange): Promise<RouteSetVersion> {
  return registry.routes.publish({
    author,
    reason,
    compose: async (version) => {
      const previous = version === 1 ? [] : (await registry.routes.get(version - 1)).document.routes;
      return { version, routes: await change(previous) };
    },
  });
}

/** The routes of the current set; none before the first publish. */
export async function currentRoutes(registry: Registry): Promise<readonly StoredRoute[]> {
  return (await registry.routes.current())?.document.routes ?? [];
}
