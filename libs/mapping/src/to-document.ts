// Serialises a compiled mapping back to a document in canonical form: topics that resolve to
// the same clusters share one comma key, keys and clusters are sorted, `__default__` comes last.
// Equal resolutions therefore give byte-identical JSON, whatever key layout the source used.
import { compareStrings } from '@flotilla/errors';
import type { ClusterRef, CompiledHandoff, CompiledMapping } from './compiled-mapping';
import {
  DEFAULT_TOPIC_KEY,
  type ClusterSpec,
  type ConsumerRule,
  type HandoffSpec,
  type MappingDocument,
  type MappingSide,
  type ProducerRule,
} from './mapping-document';

export function toClusterSpec(ref: ClusterRef): ClusterSpec {
  return {
    bootstrap: [...ref.bootstrap],
    ...(ref.saslBootstrap === undefined ? {} : { saslBootstrap: [...ref.saslBootstrap] }),
    ...(ref.tier === undefined ? {} : { tier: ref.tier }),
    role: ref.role,
  };
}

export function toHandoffSpec(handoff: CompiledHandoff): HandoffSpec {
  return {
    from: handoff.from.name,
    to: handoff.to.name,
    keyed: handoff.keyed,
    sealed: Object.fromEntries([...handoff.sealed].map(([partition, offset]) => [String(partition), offset])),
  };
}

/** Topic key → cluster names, grouping topics whose cluster lists are equal (order included). */
function groupSide(compiled: CompiledMapping, side: MappingSide): [string, readonly string[]][] {
  const groups = new Map<string, { topics: string[]; clusters: readonly string[] }>();
  for (const topic of compiled.topics(side)) {
    const clusters = (compiled.resolve(side, topic) ?? []).map((ref) => ref.name);
    // JSON, not join(','): cluster names may themselves contain commas.
    const id = JSON.stringify(clusters);
    const group = groups.get(id);
    if (group === undefined) groups.set(id, { topics: [topic], clusters });
    else group.topics.push(topic);
  }
  // topics(side) is sorted, so each group's first topic orders the groups deterministically.
  const entries = [...groups.values()].map(
    (group): [string, readonly string[]] => [group.topics.join(', '), group.clusters],
  );
  const fallback = compiled.defaultFor(side);
  if (fallback !== undefined) entries.push([DEFAULT_TOPIC_KEY, fallback.map((ref) => ref.name)]);
  return entries;
}

export function toDocument(compiled: CompiledMapping): MappingDocument {
  const clusterNames = [...compiled.clusters.keys()].sort(compareStrings);
  const handoffTopics = [...compiled.handoffs.keys()].sort(compareStrings);
  return {
    version: compiled.version,
    // fromEntries defines own properties, so no topic or cluster name can clash with Object's.
    clusters: Object.fromEntries(
      clusterNames.flatMap((name) => {
        const ref = compiled.clusters.get(name);
        return ref === undefined ? [] : [[name, toClusterSpec(ref)]];
      }),
    ),
    producers: Object.fromEntries(
      groupSide(compiled, 'producer').map(([key, clusters]): [string, ProducerRule] => [
        key,
        { where: clusters.map((sink) => ({ sink })) },
      ]),
    ),
    consumers: Object.fromEntries(
      groupSide(compiled, 'consumer').map(([key, clusters]): [string, ConsumerRule] => [
        key,
        clusters.map((vip) => ({ vip })),
      ]),
    ),
    handoffs: Object.fromEntries(
      handoffTopics.flatMap((topic) => {
        const handoff = compiled.handoffs.get(topic);
        return handoff === undefined ? [] : [[topic, toHandoffSpec(handoff)]];
      }),
    ),
  };
}
