// What a route must satisfy against the registry and the other routes before it is published:
// its name is free (or replaced on purpose), its topics are registered, it does not write into its
// own input, and it closes no cycle. Each refusal names the field of the definition at fault.
import type { Registry, StoredRoute } from '@flotilla/db';
import { ConflictError, NotFoundError, ValidationError } from '@flotilla/errors';
import type { RouteDefinition } from '@flotilla/routes';
import { sharedClusters } from './own-input';
import { findRouteCycle, formatCycle } from './route-cycle';
import { definitionOf } from './route-set';

export interface RouteCheck {
  readonly definition: RouteDefinition;
  readonly replace: boolean;
}

/** Throws the first problem of `definition` in the registry `registry` beside `routes` (the current set). */
export async function checkRoute(registry: Registry, routes: readonly StoredRoute[], { definition, replace }: RouteCheck): Promise<void> {
  if (!replace && routes.some((route) => route.name === definition.name)) {
    throw new ConflictError('route', definition.name, 'already exists; add it with --replace (replace: true) to change it');
  }
  await requireTopic(registry, definition.source, 'source');
  for (const [i, { topic }] of definition.destinations.entries()) {
    await requireTopic(registry, topic, `destinations[${i}].topic`);
    if (topic === definition.source) await refuseOwnInput(registry, definition.name, topic, `destinations[${i}].topic`);
  }
  const others = routes.filter((route) => route.name !== definition.name).map(definitionOf);
  const cycle = findRouteCycle(others, definition);
  if (cycle) {
    throw new ValidationError(
      `invalid route "${definition.name}": destinations: it would close a cycle, ${formatCycle(cycle)}: records would go round it for ever. Remove or change one of those routes first`,
      { field: 'destinations' },
    );
  }
}

async function requireTopic(registry: Registry, topic: string, field: string): Promise<void> {
  if (await registry.topics.find(topic)) return;
  throw new NotFoundError('topic', topic, { field, hint: `routes only name registered topics: create it first (flotilla topics create ${topic})` });
}

async function refuseOwnInput(registry: Registry, route: string, topic: string, field: string): Promise<void> {
  const placement = await registry.placements.of(topic);
  const shared = sharedClusters(placement);
  if (shared.length === 0) return;
  throw new ValidationError(
    `invalid route "${route}": ${field}: "${topic}" is the source topic, and in the current mapping its producers' clusters (${placement.producers.join(', ')}: where the router reads it) and its consumers' clusters (${placement.consumers.join(', ')}: where the router writes it) share ${shared.join(', ')}, so the route would write records back into its own input. Route to another topic, or place the topic's consumer side on other clusters first (flotilla topics place ${topic} --consumers <consumer clusters>)`,
    { field },
  );
}
