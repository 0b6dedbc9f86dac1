// A route's dead-letter topic is created with the route when it does not exist yet (an operator
// should not have to register `<route>.dlq` by hand), through the one topic-create path: on the
// source's tier with its partition count, so a burst of failures has the room its source had.
import type { RouteDefinition } from '@flotilla/routes';
import type { WriteContext } from '../../context';
import { createTopic } from '../topics/create-topic';

export interface DeadLetterTopic {
  readonly name: string;
  /** Whether this add created it (then `cluster` says where). */
  readonly created: boolean;
  readonly cluster: string | null;
}

export async function ensureDeadLetterTopic(ctx: WriteContext, definition: RouteDefinition): Promise<DeadLetterTopic> {
  const name = definition.deadLetterTopic;
  if (await ctx.registry.topics.find(name)) return { name, created: false, cluster: null };
  const source = await ctx.registry.topics.get(definition.source);
  const result = await createTopic(ctx, {
    name,
    tier: source.tier,
    partitions: source.partitions,
    keyed: false,
    bytesInPerSec: 0,
    consumers: 1,
  });
  return { name, created: result.created, cluster: result.placement.producers[0] ?? null };
}
