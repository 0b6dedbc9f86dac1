// Mapping documents over the test platform's clusters, for the client's integration tests.
import type { MappingDocument } from '@flotilla/mapping';
import type { TestClusterInfo } from '@flotilla/testing';

export interface TopicPlacement {
  producers: Record<string, string[]>;
  consumers: Record<string, string[]>;
  handoffs?: MappingDocument['handoffs'];
}

/** A mapping names a cluster by its PLAINTEXT bootstrap only; a made-up cluster needs no more. */
export function mappingDocument(version: number, clusters: readonly Pick<TestClusterInfo, 'name' | 'role' | 'bootstrap'>[], placement: TopicPlacement): MappingDocument {
  return {
    version,
    clusters: Object.fromEntries(
      clusters.map((c) => [c.name, { bootstrap: c.bootstrap, role: c.role, ...(c.role === 'fronting' ? { tier: 'medium' as const } : {}) }]),
    ),
    producers: Object.fromEntries(Object.entries(placement.producers).map(([topic, sinks]) => [topic, { where: sinks.map((sink) => ({ sink })) }])),
    consumers: Object.fromEntries(Object.entries(placement.consumers).map(([topic, vips]) => [topic, vips.map((vip) => ({ vip }))])),
    handoffs: placement.handoffs ?? {},
  };
}
