// fast-check generators for valid mapping documents, together with the plain model each one was
// built from. Tests compare the library against that model, which never goes through the code
// under test.
import fc from 'fast-check';
import {
  CLUSTER_ROLES,
  CLUSTER_TIERS,
  DEFAULT_TOPIC_KEY,
  type ClusterSpec,
  type HandoffSpec,
  type MappingDocument,
} from '../mapping-document';
import { isValidTopicName } from '../topic-name';

/** One document key: its topics (in key order) and the clusters they resolve to. */
export interface GeneratedGroup {
  readonly topics: readonly string[];
  readonly clusters: readonly string[];
  readonly separator: string;
}

export interface GeneratedSide {
  readonly groups: readonly GeneratedGroup[];
  readonly fallback: readonly string[] | undefined;
}

export interface GeneratedMapping {
  readonly version: number;
  readonly clusters: Readonly<Record<string, ClusterSpec>>;
  readonly producers: GeneratedSide;
  readonly consumers: GeneratedSide;
  readonly handoffs: Readonly<Record<string, HandoffSpec>>;
}

// A few common names make topics collide between generated versions, which diffs need.
export const topicName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('foo', 'bar', 't1', 't2', 't3', 'orders', 'a.b', 'a_b', '-x', '__consumer_offsets'),
  fc
    .stringMatching(/^[a-zA-Z0-9._-]{1,40}$/)
    .filter((name) => isValidTopicName(name) && name !== DEFAULT_TOPIC_KEY),
  fc.constant('z'.repeat(249)),
);

export const clusterNames: fc.Arbitrary<string[]> = fc.uniqueArray(
  fc.oneof(fc.constantFrom('cluster1', 'cluster2', 'consumerKafka1'), fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/)),
  { minLength: 1, maxLength: 5 },
);

const bootstrapAddress = fc
  .tuple(fc.constantFrom('127.0.0.1', 'localhost', 'kafka-1.internal', '[::1]'), fc.integer({ min: 1, max: 65_535 }))
  .map(([host, port]) => `${host}:${port}`);

const clusterSpec: fc.Arbitrary<ClusterSpec> = fc
  .record({
    bootstrap: fc.array(bootstrapAddress, { minLength: 1, maxLength: 3 }),
    tier: fc.option(fc.constantFrom(...CLUSTER_TIERS), { nil: undefined }),
    role: fc.constantFrom(...CLUSTER_ROLES),
  })
  .map(({ bootstrap, tier, role }) => (tier === undefined ? { bootstrap, role } : { bootstrap, tier, role }));

const separator = fc.constantFrom(',', ', ', ' , ', ',  ');

/** Groups over disjoint topics drawn from `universe`, each resolving to some of `clusters`. */
export function generatedSide(clusters: readonly string[], universe: readonly string[]): fc.Arbitrary<GeneratedSide> {
  const clusterList = fc.shuffledSubarray([...clusters], { minLength: 1 });
  const groups: fc.Arbitrary<GeneratedGroup[]> =
    universe.length === 0
      ? fc.constant([])
      : fc.array(
          fc.record({
            topics: fc.shuffledSubarray([...universe], { minLength: 1, maxLength: Math.min(4, universe.length) }),
            clusters: clusterList,
            separator,
          }),
          { maxLength: 6 },
        );
  return fc
    .record({
      groups,
      fallback: fc.option(clusterList, { nil: undefined }),
    })
    .map(({ groups, fallback }) => {
      // A topic may appear under one key only: later groups lose the topics earlier ones took.
      const taken = new Set<string>();
      const disjoint = groups.flatMap((group) => {
        const topics = group.topics.filter((topic) => !taken.has(topic));
        topics.forEach((topic) => taken.add(topic));
        return topics.length === 0 ? [] : [{ ...group, topics }];
      });
      return { groups: disjoint, fallback };
    });
}

function generatedHandoffs(
  clusters: readonly string[],
  universe: readonly string[],
): fc.Arbitrary<Readonly<Record<string, HandoffSpec>>> {
  if (clusters.length < 2 || universe.length === 0) return fc.constant({});
  const handoff: fc.Arbitrary<HandoffSpec> = fc
    .record({
      ends: fc.shuffledSubarray([...clusters], { minLength: 2, maxLength: 2 }),
      keyed: fc.boolean(),
      sealed: fc.dictionary(fc.nat({ max: 63 }).map(String), fc.nat(), { maxKeys: 4 }),
    })
    .map(({ ends: [from = '', to = ''], keyed, sealed }) => ({ from, to, keyed, sealed }));
  return fc.dictionary(fc.constantFrom(...universe), handoff, { maxKeys: 3 });
}

/** A valid mapping over the given clusters and topic universe. */
export function generatedMapping(
  clusters: readonly string[],
  universe: readonly string[],
): fc.Arbitrary<GeneratedMapping> {
  return fc.record({
    version: fc.integer({ min: 1, max: 1_000_000 }),
    clusters: fc
      .tuple(...clusters.map((name) => clusterSpec.map((spec) => [name, spec] as const)))
      .map((entries) => Object.fromEntries(entries)),
    producers: generatedSide(clusters, universe),
    consumers: generatedSide(clusters, universe),
    handoffs: generatedHandoffs(clusters, universe),
  });
}

export const topicUniverse: fc.Arbitrary<string[]> = fc.uniqueArray(topicName, { minLength: 1, maxLength: 12 });

/** Clusters and topics shared by the mappings of one test case, so versions overlap. */
export const world = fc.record({ clusters: clusterNames, universe: topicUniverse });

export const anyMapping: fc.Arbitrary<GeneratedMapping> = world.chain(({ clusters, universe }) =>
  generatedMapping(clusters, universe),
);

export const mappingPair: fc.Arbitrary<[GeneratedMapping, GeneratedMapping]> = world.chain(
  ({ clusters, universe }) => fc.tuple(generatedMapping(clusters, universe), generatedMapping(clusters, universe)),
);

export function toMappingDocument(mapping: GeneratedMapping): MappingDocument {
  const keys = (side: GeneratedSide) => [
    ...side.groups.map((group) => [group.topics.join(group.separator), group.clusters] as const),
    ...(side.fallback === undefined ? [] : [[DEFAULT_TOPIC_KEY, side.fallback] as const]),
  ];
  return {
    version: mapping.version,
    clusters: mapping.clusters,
    producers: Object.fromEntries(
      keys(mapping.producers).map(([key, clusters]) => [key, { where: clusters.map((sink) => ({ sink })) }]),
    ),
    consumers: Object.fromEntries(
      keys(mapping.consumers).map(([key, clusters]) => [key, clusters.map((vip) => ({ vip }))]),
    ),
    handoffs: mapping.handoffs,
  };
}

/** The model's answer: the clusters a topic resolves to, or undefined when it resolves nowhere. */
export function expectedResolution(side: GeneratedSide, topic: string): readonly string[] | undefined {
  const group = side.groups.find((candidate) => candidate.topics.includes(topic));
  return group === undefined ? side.fallback : group.clusters;
}

export function listedTopics(side: GeneratedSide): string[] {
  return side.groups.flatMap((group) => group.topics);
}
