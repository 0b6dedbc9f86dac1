// Sets where a topic's producers write and consumers read, with any keyed handoff change, and
// publishes it in the same transaction: the building block of moves.
import type { WriteContext } from '../../context';
import { publishRegistry } from '../../publish-registry';
import type { PlaceTopicRequest } from './topic-inputs';

export async function placeTopic({ services, changes }: WriteContext, input: PlaceTopicRequest) {
  const version = await changes.run(async (tx, audit) => {
    await tx.topics.get(input.name);
    if (input.producers) await tx.placements.set(input.name, 'producer', input.producers);
    if (input.consumers) await tx.placements.set(input.name, 'consumer', input.consumers);
    if (input.handoff?.action === 'start') {
      await tx.handoffs.start({ topic: input.name, fromCluster: input.handoff.from, toCluster: input.handoff.to, keyed: input.handoff.keyed });
    } else if (input.handoff?.action === 'seal') {
      await tx.handoffs.seal(input.name, input.handoff.sealed);
    } else if (input.handoff?.action === 'end') {
      await tx.handoffs.end(input.name);
    }
    const placement = await tx.placements.of(input.name);
    await audit({ target: `topic/${input.name}`, details: { ...placement, handoff: input.handoff ?? null, reason: input.reason ?? null } });
    return publishRegistry(tx, changes.actor, input.reason ?? `place topic ${input.name}`);
  });
  await services.mappingFeed.refresh();
  return { version: version.version };
}
