// Adds (or, asked to, replaces) a route: validated, checked against the registry and the other
// routes, its dead-letter topic created when missing, then published as the next route set with
// its audit entry in one transaction. A replaced route keeps its state (a paused one stays paused).
import type { StoredRoute } from '@flotilla/db';
import { parseRouteDefinition } from '@flotilla/routes';
import type { WriteContext } from '../../context';
import { checkRoute } from './check-route';
import { ensureDeadLetterTopic } from './ensure-dead-letter-topic';
import { currentRoutes, publishRouteSet } from './publish-route-set';
import type { AddRouteRequest } from './route-inputs';
import { putRoute, storedDefinition } from './route-set';

export async function addRoute(ctx: WriteContext, input: AddRouteRequest) {
  const { registry, changes, services } = ctx;
  const definition = parseRouteDefinition(input.definition);
  const check = { definition, replace: input.replace };
  // Everything that can refuse the route is checked before the dead-letter topic is created, so a
  // refused route leaves nothing behind; the transaction checks again against the set it replaces.
  await checkRoute(registry, await currentRoutes(registry), check);
  const deadLetterTopic = await ensureDeadLetterTopic(ctx, definition);

  const { version, route, replaced } = await changes.run(async (tx, audit) => {
    let previous: StoredRoute | undefined;
    let added: StoredRoute | undefined;
    const published = await publishRouteSet(tx, {
      author: changes.actor,
      reason: `add route ${definition.name}`,
      change: async (routes) => {
        await checkRoute(tx, routes, check);
        previous = routes.find((r) => r.name === definition.name);
        added = {
          name: definition.name,
          state: previous?.state ?? 'active',
          definition: storedDefinition(definition),
          updatedBy: changes.actor,
          updatedAt: new Date().toISOString(),
        };
        return putRoute(routes, added);
      },
    });
    if (!added) throw new Error('route set composed without the added route');
    await audit({
      target: `route/${definition.name}`,
      details: { definition: storedDefinition(definition), replaced: previous !== undefined, deadLetterTopicCreated: deadLetterTopic.created, routeSetVersion: published.version },
    });
    return { version: published.version, route: { ...added, definition }, replaced: previous !== undefined };
  });
  await services.routeSetFeed?.refresh();
  return { route, version, replaced, deadLetterTopic };
}
