// Moves a cluster to another state and publishes it (a retired cluster leaves the mapping). A
// cluster with topics still placed on it cannot retire: drain it first.
import { ValidationError } from '@flotilla/errors';
import type { WriteContext } from '../../context';
import { publishRegistry } from '../../publish-registry';
import type { SetClusterStateRequest } from './cluster-inputs';

export async function setClusterState({ services, changes }: WriteContext, input: SetClusterStateRequest) {
  const updated = await changes.run(async (tx, audit) => {
    const before = await tx.clusters.get(input.name);
    const cluster = await tx.clusters.setState(input.name, input.state);
    if (input.state === 'retired') {
      const topics = await tx.placements.topicsOn(input.name);
      if (topics.length > 0) {
        throw new ValidationError(
          `cannot retire cluster "${input.name}": state: topics still placed there (${topics.slice(0, 5).join(', ')}${topics.length > 5 ? ', ...' : ''}); drain it first`,
          { field: 'state' },
        );
      }
    }
    await audit({ target: `cluster/${input.name}`, details: { from: before.state, to: input.state } });
    await publishRegistry(tx, changes.actor, `cluster ${input.name} ${before.state} → ${input.state}`);
    return cluster;
  });
  await services.mappingFeed.refresh();
  return updated;
}
