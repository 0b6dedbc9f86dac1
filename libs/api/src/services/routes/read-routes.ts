// Routes as operators see them: the current set, and one route with the version that holds it
// and the router instances serving it.
import { NotFoundError } from '@flotilla/errors';
import type { ReadContext } from '../../context';
import { routeInstances } from './route-instances';
import { definitionOf } from './route-set';

export async function listRoutes({ registry }: ReadContext) {
  const current = await registry.routes.current();
  const routes = (current?.document.routes ?? []).map((route) => {
    const definition = definitionOf(route);
    return {
      name: route.name,
      state: route.state,
      source: definition.source,
      destinations: definition.destinations.map((d) => d.topic),
      steps: definition.steps.length,
      keyed: definition.keyed,
      deadLetterTopic: definition.deadLetterTopic,
      updatedBy: route.updatedBy,
      updatedAt: route.updatedAt,
    };
  });
  return { version: current?.version ?? 0, routes };
}

export async function describeRoute({ registry }: ReadContext, name: string) {
  const current = await registry.routes.current();
  const route = current?.document.routes.find((r) => r.name === name);
  if (!current || !route) throw new NotFoundError('route', name, { hint: 'see flotilla routes list' });
  return {
    route: { ...route, definition: definitionOf(route) },
    routeSet: { version: current.version, author: current.author, reason: current.reason, createdAt: current.createdAt },
    instances: await routeInstances(registry, name),
  };
}
