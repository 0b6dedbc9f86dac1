// What an operator may ask about topics, with its defaults.
import { topicNameSchema } from '@flotilla/db';
import { z } from 'zod';

const tier = z.enum(['low', 'medium', 'high']);

export const createTopicInput = z.strictObject({
  name: topicNameSchema,
  tier: tier.default('medium'),
  /** Rounded up to a multiple of the chosen cluster's broker count; one per broker when absent. */
  partitions: z.int().min(1).optional(),
  keyed: z.boolean().default(false),
  bytesInPerSec: z.int().min(0).default(0),
  consumers: z.int().min(0).default(1),
  retentionMs: z.int().min(1).optional(),
  owner: z.string().optional(),
  /** Place on this cluster instead of choosing by capacity. */
  cluster: z.string().optional(),
});
export type CreateTopicInput = z.input<typeof createTopicInput>;
export type CreateTopicRequest = z.output<typeof createTopicInput>;

const handoffChange = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('start'), from: z.string(), to: z.string(), keyed: z.boolean() }),
  z.strictObject({ action: z.literal('seal'), sealed: z.record(z.string(), z.int().min(0)) }),
  z.strictObject({ action: z.literal('end') }),
]);

export const placeInput = z.strictObject({
  name: z.string(),
  producers: z.array(z.string()).optional(),
  consumers: z.array(z.string()).optional(),
  /** A keyed handoff change published in the same version (topic moves). */
  handoff: handoffChange.optional(),
  reason: z.string().optional(),
});
export type PlaceTopicRequest = z.output<typeof placeInput>;

export const setPartitionsInput = z.object({ name: z.string(), partitions: z.int().min(1) });
export type SetPartitionsRequest = z.output<typeof setPartitionsInput>;
