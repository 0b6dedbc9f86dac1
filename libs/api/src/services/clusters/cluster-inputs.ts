// What an operator may ask about clusters.
import { clusterStateSchema } from '@flotilla/db';
import { z } from 'zod';

export const addClusterInput = z.object({
  name: z.string(),
  role: z.enum(['fronting', 'consumer']),
  tier: z.enum(['low', 'medium', 'high']).nullish(),
  bootstrap: z.array(z.string()),
  /** The cluster's authenticated listener (SASL/SCRAM-SHA-512), for applications with a Kafka credential. */
  saslBootstrap: z.array(z.string()).nullish(),
  zone: z.string().nullish(),
  capacityBytesPerSec: z.int().nullish(),
  /** When given, must match what the cluster reports. */
  brokerCount: z.int().optional(),
});
export type AddClusterInput = z.output<typeof addClusterInput>;

export const setClusterStateInput = z.object({ name: z.string(), state: clusterStateSchema });
export type SetClusterStateRequest = z.output<typeof setClusterStateInput>;
