// What a client holds per mapping version: every answer precomputed, so resolving a topic on
// the send path is one Map lookup (ARCHITECTURE.md §3: O(1) per send).
import type { ClusterSpec, MappingSide } from './mapping-document';

/** A cluster as a seed mapping knows it: by name only. */
export interface NamedCluster {
  readonly name: string;
}

/** A declared cluster: its name and everything a client needs to connect to it. */
export interface ClusterRef extends NamedCluster, ClusterSpec {}

export interface CompiledHandoff<Ref extends NamedCluster = ClusterRef> {
  readonly topic: string;
  readonly from: Ref;
  readonly to: Ref;
  readonly keyed: boolean;
  /** Partition → source end offset, in partition order. */
  readonly sealed: ReadonlyMap<number, number>;
}

export interface CompiledMapping<Ref extends NamedCluster = ClusterRef> {
  readonly version: number;
  /** Declared clusters by name; for a seed mapping, every cluster its rules name. */
  readonly clusters: ReadonlyMap<string, Ref>;
  readonly handoffs: ReadonlyMap<string, CompiledHandoff<Ref>>;
  /** Sink clusters for a send; throws UnknownTopicError when neither topic nor default exists. */
  producerTargets(topic: string): readonly Ref[];
  /** Clusters to read; throws UnknownTopicError when neither topic nor default exists. */
  consumerSources(topic: string): readonly Ref[];
  /** The non-throwing form of the two lookups above: undefined when nothing matches. */
  resolve(side: MappingSide, topic: string): readonly Ref[] | undefined;
  /** The `__default__` clusters of a side, if it has one. */
  defaultFor(side: MappingSide): readonly Ref[] | undefined;
  handoff(topic: string): CompiledHandoff<Ref> | undefined;
  /** Explicitly listed topics, sorted: of one side, or of both when `side` is omitted. */
  topics(side?: MappingSide): readonly string[];
}
