// The availability argument for many small clusters over one big one (ARCHITECTURE.md intro).
//
// Take k simultaneous broker failures, k at least the replication factor. In one big cluster,
// partitions are spread over every broker, so almost any k failed brokers hold every replica of
// some partition: data goes offline with probability ~1. Split the same brokers into s equal,
// independent clusters and data goes offline only if all k failures land in one cluster: for a
// given cluster the chance is (1/s)^k, and over the s clusters s · (1/s)^k = s^(1−k). Relative to
// the big cluster's 1, the chance of an outage drops by a factor s^(k−1). A given topic, living
// on one cluster, is hit with (1/s)^k, so its own odds improve further still (s^k).
//
// Assumes failures are independent and uniform over brokers, and counts them with replacement.
// Counted exactly (k distinct brokers), the small clusters' chance is lower still, by a factor
// of roughly 1 − k(k−1)/2m for clusters of m ≫ k brokers, so s^(k−1) slightly understates the gain.
import { requirePositiveInteger } from './require-number';

/** How many times less likely k simultaneous broker failures take data offline with s clusters: s^(k−1). */
export function availabilityGain(clusters: number, simultaneousFailures: number): number {
  requirePositiveInteger('clusters', clusters);
  requirePositiveInteger('simultaneousFailures', simultaneousFailures);
  return clusters ** (simultaneousFailures - 1);
}
