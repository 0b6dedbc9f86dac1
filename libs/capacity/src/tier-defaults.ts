// Replicas and retention per priority tier of fronting clusters (ARCHITECTURE.md §1). Fronting
// clusters only buffer until routers have read, so retention is hours, and only the
// business-critical tier pays for a third replica.
import { ValidationError } from '@flotilla/errors';
import { CLUSTER_TIERS, type ClusterTier } from '@flotilla/mapping';
import { requirePositiveInteger } from './require-number';

export interface TierDefaults {
  readonly replicationFactor: number;
  readonly retentionMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

export const tierDefaults: Readonly<Record<ClusterTier, TierDefaults>> = Object.freeze({
  low: Object.freeze({ replicationFactor: 2, retentionMs: 2 * HOUR_MS }),
  medium: Object.freeze({ replicationFactor: 2, retentionMs: 4 * HOUR_MS }),
  high: Object.freeze({ replicationFactor: 3, retentionMs: 24 * HOUR_MS }),
});

export function requireTier(field: string, tier: ClusterTier): ClusterTier {
  if (!(CLUSTER_TIERS as readonly unknown[]).includes(tier)) {
    throw new ValidationError(
      `${field}: unknown tier ${JSON.stringify(tier)}, expected one of ${CLUSTER_TIERS.join(', ')}`,
      { field },
    );
  }
  return tier;
}

/**
 * The replication factor to create a tier's topic with on a cluster of `brokerCount` brokers:
 * the tier's, capped at the number of brokers. Kafka refuses a replication factor above the
 * broker count, and local and test clusters often run one or two brokers; such a topic simply
 * has fewer copies there. Production clusters have at least the tier's count.
 */
export function effectiveReplicas(tier: ClusterTier, brokerCount: number): number {
  requireTier('tier', tier);
  requirePositiveInteger('brokerCount', brokerCount);
  return Math.min(tierDefaults[tier].replicationFactor, brokerCount);
}
