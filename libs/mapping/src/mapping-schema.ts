// Structural schemas for each section of the mapping document: types, required keys, enums and
// no unknown keys (a misspelt optional key such as "teir" must not pass silently). Rules that
// need the whole document or Kafka's naming rules live in `check-mapping.ts` and
// `expand-rules.ts`, where messages can name the value and what was expected.
import { strictObject } from '@flotilla/errors';
import { z } from 'zod';
import {
  CLUSTER_ROLES,
  CLUSTER_TIERS,
  type ClusterSpec,
  type ConsumerRules,
  type HandoffSpec,
  type ProducerRules,
} from './mapping-document';

const clusterSpecSchema = strictObject({
  bootstrap: z.array(z.string()),
  saslBootstrap: z.array(z.string()).exactOptional(),
  tier: z.enum(CLUSTER_TIERS).exactOptional(),
  role: z.enum(CLUSTER_ROLES),
});

export const clustersSchema: z.ZodType<Readonly<Record<string, ClusterSpec>>> = z.record(
  z.string(),
  clusterSpecSchema,
);

export const producerRulesSchema: z.ZodType<ProducerRules> = z.record(
  z.string(),
  strictObject({ where: z.array(strictObject({ sink: z.string() })) }),
);

export const consumerRulesSchema: z.ZodType<ConsumerRules> = z.record(
  z.string(),
  z.array(strictObject({ vip: z.string() })),
);

export const handoffsSchema: z.ZodType<Readonly<Record<string, HandoffSpec>>> = z.record(
  z.string(),
  strictObject({
    from: z.string(),
    to: z.string(),
    keyed: z.boolean(),
    sealed: z.record(z.string(), z.number()),
  }),
);
