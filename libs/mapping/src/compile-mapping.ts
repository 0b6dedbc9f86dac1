// Builds the per-version lookup tables. All parsing of comma keys and all validation happen
// here, once per version; the lookups afterwards only read Maps. Every array returned is frozen
// and shared by all topics of the same document key, so a lookup allocates nothing.
import { compareStrings } from '@flotilla/errors';
import { analyzeSections, checkVersion, type AnalyzedMapping } from './check-mapping';
import type { ClusterRef, CompiledHandoff, CompiledMapping, NamedCluster } from './compiled-mapping';
import { MappingValidationError, UnknownTopicError, type MappingIssue } from './errors';
import type { ExpandedRule, ExpandedSide } from './expand-rules';
import type {
  ConsumerRules,
  HandoffSpec,
  MappingDocument,
  MappingSide,
  ProducerRules,
} from './mapping-document';

export interface SeedMapping {
  readonly producers?: ProducerRules;
  readonly consumers?: ConsumerRules;
  /** Seed documents carry no version; 0 marks a mapping that never came from management. */
  readonly version?: number;
}

/**
 * Validates `doc` again (it may have been built in code rather than parsed) and precomputes
 * its resolution. Throws MappingValidationError with every issue.
 */
export function compileMapping(doc: MappingDocument): CompiledMapping {
  const issues: MappingIssue[] = [];
  checkVersion(doc.version, issues);
  const analyzed = analyzeSections(doc, issues);
  if (issues.length > 0) throw new MappingValidationError(issues);

  const clusters = new Map<string, ClusterRef>();
  for (const [name, spec] of Object.entries(doc.clusters)) {
    const ref: ClusterRef = {
      name,
      bootstrap: Object.freeze([...spec.bootstrap]),
      ...(spec.saslBootstrap === undefined ? {} : { saslBootstrap: Object.freeze([...spec.saslBootstrap]) }),
      ...(spec.tier === undefined ? {} : { tier: spec.tier }),
      role: spec.role,
    };
    clusters.set(name, Object.freeze(ref));
  }
  const refOf = (name: string): ClusterRef => {
    const ref = clusters.get(name);
    // Unreachable: analyzeSections reported every undeclared name above.
    if (ref === undefined) throw new Error(`cluster "${name}" vanished after validation`);
    return ref;
  };
  return buildCompiled(doc.version, clusters, analyzed, refOf, doc.handoffs);
}

/** Compiles the original producer-only / consumer-only documents, whose clusters are names. */
export function compileSeedMapping(seed: SeedMapping): CompiledMapping<NamedCluster> {
  const issues: MappingIssue[] = [];
  const version = seed.version ?? 0;
  if (version !== 0) checkVersion(version, issues);
  const analyzed = analyzeSections(
    {
      clusters: undefined,
      producers: seed.producers ?? {},
      consumers: seed.consumers ?? {},
      handoffs: undefined,
    },
    issues,
  );
  if (issues.length > 0) throw new MappingValidationError(issues);

  const clusters = new Map<string, NamedCluster>();
  const refOf = (name: string): NamedCluster => {
    let ref = clusters.get(name);
    if (ref === undefined) {
      ref = Object.freeze({ name });
      clusters.set(name, ref);
    }
    return ref;
  };
  return buildCompiled(version, clusters, analyzed, refOf, {});
}

interface SideTables<Ref> {
  readonly topics: ReadonlyMap<string, readonly Ref[]>;
  readonly fallback: readonly Ref[] | undefined;
  readonly names: readonly string[];
}

function buildSide<Ref>(side: ExpandedSide, refOf: (name: string) => Ref): SideTables<Ref> {
  const perKey = new Map<ExpandedRule, readonly Ref[]>();
  const refsFor = (rule: ExpandedRule): readonly Ref[] => {
    let refs = perKey.get(rule);
    if (refs === undefined) {
      refs = Object.freeze(rule.clusters.map(refOf));
      perKey.set(rule, refs);
    }
    return refs;
  };
  const topics = new Map<string, readonly Ref[]>();
  for (const [topic, rule] of side.topics) topics.set(topic, refsFor(rule));
  return {
    topics,
    fallback: side.fallback === undefined ? undefined : refsFor(side.fallback),
    names: Object.freeze([...side.topics.keys()].sort(compareStrings)),
  };
}

function buildCompiled<Ref extends NamedCluster>(
  version: number,
  clusters: Map<string, Ref>,
  analyzed: AnalyzedMapping,
  refOf: (name: string) => Ref,
  handoffSpecs: Readonly<Record<string, HandoffSpec>>,
): CompiledMapping<Ref> {
  const producers = buildSide(analyzed.producers, refOf);
  const consumers = buildSide(analyzed.consumers, refOf);
  const tables: Readonly<Record<MappingSide, SideTables<Ref>>> = { producer: producers, consumer: consumers };
  const allTopics = Object.freeze(
    [...new Set([...producers.names, ...consumers.names])].sort(compareStrings),
  );

  const handoffs = new Map<string, CompiledHandoff<Ref>>();
  for (const [topic, spec] of Object.entries(handoffSpecs)) {
    const sealed = new Map(
      Object.entries(spec.sealed)
        .map(([partition, offset]): [number, number] => [Number(partition), offset])
        .sort(([a], [b]) => a - b),
    );
    handoffs.set(
      topic,
      Object.freeze({ topic, from: refOf(spec.from), to: refOf(spec.to), keyed: spec.keyed, sealed }),
    );
  }

  const resolve = (side: MappingSide, topic: string): readonly Ref[] | undefined => {
    const table = tables[side];
    return table.topics.get(topic) ?? table.fallback;
  };
  const resolveOrThrow = (side: MappingSide, topic: string): readonly Ref[] => {
    const refs = resolve(side, topic);
    if (refs === undefined) throw new UnknownTopicError(topic, side, version);
    return refs;
  };

  return Object.freeze({
    version,
    clusters,
    handoffs,
    producerTargets: (topic: string) => resolveOrThrow('producer', topic),
    consumerSources: (topic: string) => resolveOrThrow('consumer', topic),
    resolve,
    defaultFor: (side: MappingSide) => tables[side].fallback,
    handoff: (topic: string) => handoffs.get(topic),
    topics: (side?: MappingSide) => (side === undefined ? allTopics : tables[side].names),
  });
}
