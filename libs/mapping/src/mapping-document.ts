// The mapping document as it travels between management and clients (ARCHITECTURE.md §3).
// These are the validated shapes; `parse-mapping.ts` is the only way unknown JSON becomes one.

/** Catches every topic that no key lists explicitly. */
export const DEFAULT_TOPIC_KEY = '__default__';

export const CLUSTER_TIERS = ['low', 'medium', 'high'] as const;
export type ClusterTier = (typeof CLUSTER_TIERS)[number];

export const CLUSTER_ROLES = ['fronting', 'consumer'] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

export type MappingSide = 'producer' | 'consumer';

export interface ClusterSpec {
  /** `host:port` addresses; never empty. */
  readonly bootstrap: readonly string[];
  /**
   * The cluster's authenticated listener (SASL/SCRAM-SHA-512), when it has one: clients that carry
   * an application's Kafka credential connect here instead of `bootstrap`.
   */
  readonly saslBootstrap?: readonly string[];
  readonly tier?: ClusterTier;
  readonly role: ClusterRole;
}

export interface SinkRef {
  readonly sink: string;
}

/** More than one sink means the producer writes to each (dual-write). */
export interface ProducerRule {
  readonly where: readonly SinkRef[];
}

export interface VipRef {
  readonly vip: string;
}

/** Every cluster that may hold unread data for the topic; the consumer reads all of them. */
export type ConsumerRule = readonly VipRef[];

/** Keys are a topic, several topics separated by commas, or `__default__`. */
export type ProducerRules = Readonly<Record<string, ProducerRule>>;
export type ConsumerRules = Readonly<Record<string, ConsumerRule>>;

export interface HandoffSpec {
  readonly from: string;
  readonly to: string;
  readonly keyed: boolean;
  /** Partition (decimal string) → source end offset recorded once producers switched. */
  readonly sealed: Readonly<Record<string, number>>;
}

export interface MappingDocument {
  readonly version: number;
  readonly clusters: Readonly<Record<string, ClusterSpec>>;
  readonly producers: ProducerRules;
  readonly consumers: ConsumerRules;
  readonly handoffs: Readonly<Record<string, HandoffSpec>>;
}
