// How the router reads and writes under the mapping. A route between two topics is a consumer of
// its source and a producer of its destinations like any other: it reads the source where the
// mapping's consumer side says and writes each destination where the producer side says (a
// destination written to two consumer clusters is the fan-out), so moves and failovers on
// either side need nothing from the router.
//
// A route from a topic to itself is the hop of ARCHITECTURE.md §1 between the layers of one topic
// name: its producers write it to fronting clusters (the producer side) and its consumers read it
// on consumer clusters (the consumer side). For that topic alone the router swaps the sides: it
// reads where the producers write and writes where the consumers read.
import type { CompiledMapping, MappingSide } from '@flotilla/mapping';

const other = (side: MappingSide): MappingSide => (side === 'producer' ? 'consumer' : 'producer');

/** `mapping` with the sides of `topic` swapped, the other topics as they are. */
export function layerHopView(mapping: CompiledMapping, topic: string): CompiledMapping {
  return {
    version: mapping.version,
    clusters: mapping.clusters,
    // A keyed handoff orders a move's consumer side; the swapped topic's sides are not a move.
    handoffs: mapping.handoffs.has(topic) ? new Map([...mapping.handoffs].filter(([name]) => name !== topic)) : mapping.handoffs,
    producerTargets: (name) => (name === topic ? mapping.consumerSources(name) : mapping.producerTargets(name)),
    consumerSources: (name) => (name === topic ? mapping.producerTargets(name) : mapping.consumerSources(name)),
    resolve: (side, name) => mapping.resolve(name === topic ? other(side) : side, name),
    defaultFor: (side) => mapping.defaultFor(side),
    handoff: (name) => (name === topic ? undefined : mapping.handoff(name)),
    topics: (side) => mapping.topics(side),
  };
}
