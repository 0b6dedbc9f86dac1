// A registry the size of a real fleet's for the mapping benchmark: clusters in every tier and
// role, topics placed on the fronting cluster of their tier and on one or two consumer clusters,
// written through the repositories in one transaction, as management itself would write them.
import { inTransaction, type ClusterTier, type Database } from '@flotilla/db';

export interface BenchRegistryShape {
  /** Fronting clusters per tier, plus consumer clusters. */
  readonly fronting: Readonly<Record<ClusterTier, number>>;
  readonly consumerClusters: number;
  readonly topics: number;
}

export const BENCH_REGISTRY: BenchRegistryShape = { fronting: { low: 3, medium: 6, high: 3 }, consumerClusters: 8, topics: 1_000 };

const DOMAINS = ['orders', 'payments', 'users', 'search', 'ads', 'logistics', 'inventory', 'messaging', 'billing', 'fraud'] as const;
const EVENTS = ['created', 'updated', 'deleted', 'viewed', 'clicked', 'requested', 'failed', 'completed', 'audited', 'scored'] as const;
/** Every fifth topic is read from two consumer clusters: consumer fan-out beyond one cluster. */
const FAN_OUT_EVERY = 5;
const BROKERS_PER_CLUSTER = 6;
const RETENTION_MS: Readonly<Record<ClusterTier, number>> = { low: 2 * 3_600_000, medium: 4 * 3_600_000, high: 24 * 3_600_000 };
const REPLICAS: Readonly<Record<ClusterTier, number>> = { low: 2, medium: 2, high: 3 };

export interface BenchTopic {
  readonly name: string;
  readonly tier: ClusterTier;
}

export interface BenchRegistry {
  readonly frontingByTier: Readonly<Record<ClusterTier, readonly string[]>>;
  readonly consumerClusters: readonly string[];
  readonly topics: readonly BenchTopic[];
  readonly clusterCount: number;
}

function tierOf(index: number): ClusterTier {
  // 20 % low, 60 % medium, 20 % high: most data is "medium" (ARCHITECTURE.md §1).
  const slot = index % 10;
  return slot < 2 ? 'low' : slot < 8 ? 'medium' : 'high';
}

function bootstrap(cluster: string): string[] {
  return [1, 2, 3].map((broker) => `${cluster}-b${broker}.kafka.flotilla.internal:9092`);
}

function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export async function buildBenchRegistry(db: Database, shape: BenchRegistryShape = BENCH_REGISTRY): Promise<BenchRegistry> {
  const tiers: ClusterTier[] = ['low', 'medium', 'high'];
  const frontingByTier = Object.fromEntries(
    tiers.map((tier) => [tier, Array.from({ length: shape.fronting[tier] }, (_, i) => `fronting-${tier}-${i + 1}`)]),
  ) as Record<ClusterTier, string[]>;
  const consumerClusters = Array.from({ length: shape.consumerClusters }, (_, i) => `consumer-${i + 1}`);
  const topics: BenchTopic[] = Array.from({ length: shape.topics }, (_, i) => ({
    name: `${pick(DOMAINS, i)}.${pick(EVENTS, Math.floor(i / DOMAINS.length))}-${String(i).padStart(4, '0')}.v1`,
    tier: tierOf(i),
  }));

  await inTransaction(db, async (registry) => {
    for (const tier of tiers) {
      for (const name of frontingByTier[tier]) {
        await registry.clusters.add({ name, role: 'fronting', tier, bootstrap: bootstrap(name), brokerCount: BROKERS_PER_CLUSTER });
      }
    }
    for (const name of consumerClusters) {
      await registry.clusters.add({ name, role: 'consumer', bootstrap: bootstrap(name), brokerCount: BROKERS_PER_CLUSTER });
    }
    for (const [i, topic] of topics.entries()) {
      await registry.topics.add({
        name: topic.name,
        tier: topic.tier,
        partitions: 2 * BROKERS_PER_CLUSTER,
        replicas: REPLICAS[topic.tier],
        retentionMs: RETENTION_MS[topic.tier],
      });
      await registry.placements.set(topic.name, 'producer', [pick(frontingByTier[topic.tier], i)]);
      const readers = i % FAN_OUT_EVERY === 0 ? [pick(consumerClusters, i), pick(consumerClusters, i + 1)] : [pick(consumerClusters, i)];
      await registry.placements.set(topic.name, 'consumer', readers);
    }
  });
  return { frontingByTier, consumerClusters, topics, clusterCount: tiers.reduce((n, tier) => n + frontingByTier[tier].length, 0) + consumerClusters.length };
}

/**
 * Moves one topic's producers to the next fronting cluster of its tier, without publishing: the
 * registry change a publish in the benchmark then turns into a version, so each version differs
 * from the one before as a real topic move's would.
 */
export async function moveProducers(db: Database, registry: BenchRegistry, round: number): Promise<void> {
  const topic = pick(registry.topics, round * 37);
  const clusters = registry.frontingByTier[topic.tier];
  await inTransaction(db, async (tx) => {
    const current = (await tx.placements.of(topic.name)).producers[0];
    const next = pick(clusters, (current === undefined ? 0 : clusters.indexOf(current)) + 1);
    await tx.placements.set(topic.name, 'producer', [next]);
  });
}
