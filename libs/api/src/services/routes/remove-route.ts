// Removes a route from the set routers follow. Its dead-letter topic stays: it may hold records
// an operator still has to look at (delete it with flotilla topics delete).
import { NotFoundError } from '@flotilla/errors';
import type { WriteContext } from '../../context';
import { publishRouteSet } from './publish-route-set';
import { definitionOf, dropRoute } from './route-set';

export async function removeRoute({ changes, services }: WriteContext, name: string) {
  const result = await changes.run(async (tx, audit) => {
    let deadLetterTopic = '';
    const published = await publishRouteSet(tx, {
      author: changes.actor,
      reason: `remove route ${name}`,
      change: (routes) => {
        const removed = routes.find((r) => r.name === name);
        if (!removed) throw new NotFoundError('route', name, { hint: 'see flotilla routes list' });
        deadLetterTopic = definitionOf(removed).deadLetterTopic;
        return dropRoute(routes, name);
      },
    });
    await audit({ target: `route/${name}`, details: { routeSetVersion: published.version } });
    return { name, version: published.version, deadLetterTopic };
  });
  await services.routeSetFeed?.refresh();
  return result;
}
