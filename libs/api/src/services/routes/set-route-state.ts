// Pauses or resumes a route: published as the next route set, which routers follow (a paused
// route keeps its consumer group's offsets, so resuming picks up where it stopped). Asking for the
// state a route is already in changes nothing and publishes nothing.
import type { RouteState } from '@flotilla/db';
import { NotFoundError } from '@flotilla/errors';
import type { WriteContext } from '../../context';
import { currentRoutes, publishRouteSet } from './publish-route-set';
import { setRouteState } from './route-set';

export async function changeRouteState({ registry, changes, services }: WriteContext, name: string, state: RouteState) {
  const existing = (await currentRoutes(registry)).find((r) => r.name === name);
  if (!existing) throw new NotFoundError('route', name, { hint: 'see flotilla routes list' });
  if (existing.state === state) return { name, state, changed: false, version: await registry.routes.currentVersion() };

  const version = await changes.run(async (tx, audit) => {
    const published = await publishRouteSet(tx, {
      author: changes.actor,
      reason: `${state === 'paused' ? 'pause' : 'resume'} route ${name}`,
      change: (routes) => {
        if (!routes.some((r) => r.name === name)) throw new NotFoundError('route', name);
        return setRouteState(routes, name, state, { updatedBy: changes.actor, updatedAt: new Date().toISOString() });
      },
    });
    await audit({ target: `route/${name}`, details: { state, routeSetVersion: published.version } });
    return published.version;
  });
  await services.routeSetFeed?.refresh();
  return { name, state, changed: true, version };
}
