// Builds the mapping document management publishes from the registry's rows: clusters, where each
// topic is produced and consumed, and keyed handoffs in progress. The result is validated and in
// canonical form (toDocument), so equal registry states always publish byte-identical documents.
import { compileMapping } from './compile-mapping';
import type { ClusterRole, ClusterTier, HandoffSpec, MappingDocument, MappingSide } from './mapping-document';
import { parseMapping } from './parse-mapping';
import { toDocument } from './to-document';

export interface ComposeMappingInput {
  readonly version: number;
  readonly clusters: readonly {
    readonly name: string;
    readonly bootstrap: readonly string[];
    readonly saslBootstrap?: readonly string[] | null;
    readonly role: ClusterRole;
    readonly tier?: ClusterTier | null;
  }[];
  readonly placements: readonly { readonly topic: string; readonly cluster: string; readonly side: MappingSide }[];
  readonly handoffs?: readonly ({ readonly topic: string } & HandoffSpec)[];
}

export function composeMapping(input: ComposeMappingInput): MappingDocument {
  // Maps, not object literals: a name is data here, never a property of Object.prototype.
  const producers = new Map<string, { sink: string }[]>();
  const consumers = new Map<string, { vip: string }[]>();
  for (const { topic, cluster, side } of input.placements) {
    if (side === 'producer') upsert(producers, topic).push({ sink: cluster });
    else upsert(consumers, topic).push({ vip: cluster });
  }
  const raw = {
    version: input.version,
    clusters: Object.fromEntries(
      input.clusters.map((cluster) => [
        cluster.name,
        {
          bootstrap: [...cluster.bootstrap],
          ...(cluster.saslBootstrap?.length ? { saslBootstrap: [...cluster.saslBootstrap] } : {}),
          role: cluster.role,
          ...(cluster.tier ? { tier: cluster.tier } : {}),
        },
      ]),
    ),
    producers: Object.fromEntries([...producers].map(([topic, where]) => [topic, { where }])),
    consumers: Object.fromEntries(consumers),
    handoffs: Object.fromEntries(
      (input.handoffs ?? []).map(({ topic, from, to, keyed, sealed }) => [topic, { from, to, keyed, sealed }]),
    ),
  };
  return toDocument(compileMapping(parseMapping(raw)));
}

function upsert<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  return list;
}
