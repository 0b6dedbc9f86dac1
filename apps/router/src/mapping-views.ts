// The router's view of a mapping version. A routed topic's producers write to its producer-side
// clusters (fronting) and its consumers read its consumer-side clusters; the router is the hop
// between the two. So the router's consumer reads a route's source where the mapping's producer
// side puts it, and the router's producer writes a destination where the mapping's consumer side
// reads it (two consumer clusters: both are written, the fan-out). The view is the
// CompiledMapping with its sides swapped, so the smart consumer and producer follow it, version by
// version, as they follow any mapping.
import type { ClusterRef, CompiledHandoff, CompiledMapping, MappingSide } from '@flotilla/mapping';

const other = (side: MappingSide): MappingSide => (side === 'producer' ? 'consumer' : 'producer');
const NO_HANDOFFS: ReadonlyMap<string, CompiledHandoff<ClusterRef>> = new Map();

/** The mapping as the router sees it: a topic is read where producers write it and written where consumers read it. */
export function routerView(mapping: CompiledMapping): CompiledMapping {
  return {
    version: mapping.version,
    clusters: mapping.clusters,
    // A keyed handoff orders the consumer side of a move; the router's reading and writing sides
    // are the other way round, so it holds no handoff of its own.
    handoffs: NO_HANDOFFS,
    producerTargets: (topic) => mapping.consumerSources(topic),
    consumerSources: (topic) => mapping.producerTargets(topic),
    resolve: (side, topic) => mapping.resolve(other(side), topic),
    defaultFor: (side) => mapping.defaultFor(other(side)),
    handoff: () => undefined,
    topics: (side) => mapping.topics(side === undefined ? undefined : other(side)),
  };
}

/**
 * The clusters a route would read `topic` from and write it to under `mapping`: the route must not
 * read from a cluster it writes the same topic to, or records would come back as its input.
 */
export function loopClusters(mapping: CompiledMapping, source: string, destinations: readonly string[]): string[] {
  const reads = new Set((mapping.resolve('producer', source) ?? []).map((cluster) => cluster.name));
  if (!destinations.includes(source)) return [];
  return (mapping.resolve('consumer', source) ?? []).map((cluster) => cluster.name).filter((name) => reads.has(name));
}
