// The route set as the registry stores it (sorted by name, one route per name) and the pure
// changes that compose the next set from the current one.
import type { RouteState, StoredRoute } from '@flotilla/db';
import type { RouteDefinition } from '@flotilla/routes';

const byName = (a: StoredRoute, b: StoredRoute): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The set with `route` in it, replacing any route of the same name. */
export function putRoute(routes: readonly StoredRoute[], route: StoredRoute): StoredRoute[] {
  return [...routes.filter((r) => r.name !== route.name), route].sort(byName);
}

/** The set without the route named `name`. */
export function dropRoute(routes: readonly StoredRoute[], name: string): StoredRoute[] {
  return routes.filter((r) => r.name !== name).sort(byName);
}

/** The set with the route named `name` in `state`, stamped with who changed it and when. */
export function setRouteState(routes: readonly StoredRoute[], name: string, state: RouteState, stamp: Pick<StoredRoute, 'updatedBy' | 'updatedAt'>): StoredRoute[] {
  return routes.map((r) => (r.name === name ? { ...r, state, ...stamp } : r)).sort(byName);
}

/**
 * A stored route's definition. Only this API writes route sets, and only definitions that
 * parseRouteDefinition returned, so the stored JSON has that shape.
 */
export function definitionOf(route: StoredRoute): RouteDefinition {
  return route.definition as unknown as RouteDefinition;
}

/** A definition as the registry stores it (JSON). */
export function storedDefinition(definition: RouteDefinition): Record<string, unknown> {
  return { ...definition };
}
