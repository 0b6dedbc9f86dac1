// Mapping documents for the mapping-source tests: the full format of ARCHITECTURE.md §3 at any
// version, and the same document broken the way an operator would break it.

const CLUSTERS = {
  'fronting-kafka-1': { bootstrap: ['127.0.0.1:19092'], tier: 'medium', role: 'fronting' },
  'fronting-kafka-2': { bootstrap: ['127.0.0.1:19192'], tier: 'medium', role: 'fronting' },
  'consumer-kafka-1': { bootstrap: ['127.0.0.1:19292'], role: 'consumer' },
  'consumer-kafka-2': { bootstrap: ['127.0.0.1:19392'], role: 'consumer' },
};

/** A valid document; `sink` is where t1 and t2 are produced, so versions differ in content too. */
export function mappingDocument(version: number, sink = 'fronting-kafka-1'): Record<string, unknown> {
  return {
    version,
    clusters: CLUSTERS,
    producers: {
      't1, t2': { where: [{ sink }] },
      __default__: { where: [{ sink: 'fronting-kafka-2' }] },
    },
    consumers: { foo: [{ vip: 'consumer-kafka-1' }, { vip: 'consumer-kafka-2' }] },
  };
}

/** Names a cluster that is not declared: `producers["t1, t2"].where[0].sink`. */
export function mappingWithUnknownSink(version: number): Record<string, unknown> {
  return mappingDocument(version, 'fronting-9');
}

export const UNKNOWN_SINK_MESSAGE = 'producers["t1, t2"].where[0].sink: unknown cluster "fronting-9"';
