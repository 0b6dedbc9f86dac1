// What changed between two mapping versions, as an operator reviewing a publish or a workflow
// checking its step would ask: which topics now resolve elsewhere, which clusters and handoffs
// came or went. Topic changes compare resolutions, not document keys, so regrouping keys or
// spelling out a topic that already fell to `__default__` is not a change.
import { compareStrings } from '@flotilla/errors';
import type { ClusterRef, CompiledMapping, NamedCluster } from './compiled-mapping';
import {
  DEFAULT_TOPIC_KEY,
  type ClusterRole,
  type ClusterSpec,
  type ClusterTier,
  type HandoffSpec,
  type MappingSide,
} from './mapping-document';
import { toClusterSpec, toHandoffSpec } from './to-document';

export interface TopicChange {
  /** A topic, or `__default__` when the fallback itself changed. */
  readonly topic: string;
  readonly side: MappingSide;
  /** Cluster names in mapping order; empty when the topic did not resolve at all. */
  readonly from: readonly string[];
  readonly to: readonly string[];
}

export type ClusterChange =
  | { readonly cluster: string; readonly change: 'added'; readonly to: ClusterSpec }
  | { readonly cluster: string; readonly change: 'removed'; readonly from: ClusterSpec }
  | {
      readonly cluster: string;
      readonly change: 'bootstrap';
      readonly from: readonly string[];
      readonly to: readonly string[];
    }
  | {
      readonly cluster: string;
      readonly change: 'role';
      readonly from: ClusterRole;
      readonly to: ClusterRole;
    }
  | {
      readonly cluster: string;
      readonly change: 'tier';
      readonly from: ClusterTier | undefined;
      readonly to: ClusterTier | undefined;
    };

export type HandoffChange =
  | { readonly topic: string; readonly change: 'added'; readonly to: HandoffSpec }
  | { readonly topic: string; readonly change: 'removed'; readonly from: HandoffSpec }
  | {
      readonly topic: string;
      readonly change: 'changed';
      readonly from: HandoffSpec;
      readonly to: HandoffSpec;
    };

export interface MappingDiff {
  readonly fromVersion: number;
  readonly toVersion: number;
  /** Sorted by topic (`__default__` last), producer side before consumer side. */
  readonly topics: readonly TopicChange[];
  /** Sorted by cluster, then added, removed, bootstrap, role, tier. */
  readonly clusters: readonly ClusterChange[];
  /** Sorted by topic. */
  readonly handoffs: readonly HandoffChange[];
}

const SIDES: readonly MappingSide[] = ['producer', 'consumer'];
const CLUSTER_CHANGE_ORDER: readonly ClusterChange['change'][] = [
  'added',
  'removed',
  'bootstrap',
  'role',
  'tier',
];

function names(refs: readonly NamedCluster[] | undefined): readonly string[] {
  return refs === undefined ? [] : refs.map((ref) => ref.name);
}

// Order carries no meaning on either side (producers write to every sink, consumers read every
// source), so two lists are the same resolution when they hold the same clusters.
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sortedB = [...b].sort(compareStrings);
  return [...a].sort(compareStrings).every((name, index) => name === sortedB[index]);
}

function compareTopicKeys(a: string, b: string): number {
  if (a === b) return 0;
  if (a === DEFAULT_TOPIC_KEY) return 1;
  if (b === DEFAULT_TOPIC_KEY) return -1;
  return compareStrings(a, b);
}

function diffTopics(a: CompiledMapping, b: CompiledMapping): TopicChange[] {
  const changes: TopicChange[] = [];
  for (const side of SIDES) {
    const topics = new Set([...a.topics(side), ...b.topics(side)]);
    for (const topic of topics) {
      const from = names(a.resolve(side, topic));
      const to = names(b.resolve(side, topic));
      if (!sameSet(from, to)) changes.push({ topic, side, from, to });
    }
    const from = names(a.defaultFor(side));
    const to = names(b.defaultFor(side));
    if (!sameSet(from, to)) changes.push({ topic: DEFAULT_TOPIC_KEY, side, from, to });
  }
  return changes.sort(
    (x, y) => compareTopicKeys(x.topic, y.topic) || SIDES.indexOf(x.side) - SIDES.indexOf(y.side),
  );
}

function diffCluster(name: string, a: ClusterRef, b: ClusterRef): ClusterChange[] {
  const changes: ClusterChange[] = [];
  if (!sameSet(a.bootstrap, b.bootstrap)) {
    changes.push({ cluster: name, change: 'bootstrap', from: [...a.bootstrap], to: [...b.bootstrap] });
  }
  if (a.role !== b.role) changes.push({ cluster: name, change: 'role', from: a.role, to: b.role });
  if (a.tier !== b.tier) changes.push({ cluster: name, change: 'tier', from: a.tier, to: b.tier });
  return changes;
}

function diffClusters(a: CompiledMapping, b: CompiledMapping): ClusterChange[] {
  const changes: ClusterChange[] = [];
  for (const [name, before] of a.clusters) {
    const after = b.clusters.get(name);
    if (after === undefined) changes.push({ cluster: name, change: 'removed', from: toClusterSpec(before) });
    else changes.push(...diffCluster(name, before, after));
  }
  for (const [name, after] of b.clusters) {
    if (!a.clusters.has(name)) changes.push({ cluster: name, change: 'added', to: toClusterSpec(after) });
  }
  return changes.sort(
    (x, y) =>
      compareStrings(x.cluster, y.cluster) ||
      CLUSTER_CHANGE_ORDER.indexOf(x.change) - CLUSTER_CHANGE_ORDER.indexOf(y.change),
  );
}

function sameHandoff(a: HandoffSpec, b: HandoffSpec): boolean {
  const sealedA = Object.entries(a.sealed);
  return (
    a.from === b.from &&
    a.to === b.to &&
    a.keyed === b.keyed &&
    sealedA.length === Object.keys(b.sealed).length &&
    sealedA.every(([partition, offset]) => Object.hasOwn(b.sealed, partition) && b.sealed[partition] === offset)
  );
}

function diffHandoffs(a: CompiledMapping, b: CompiledMapping): HandoffChange[] {
  const changes: HandoffChange[] = [];
  for (const [topic, before] of a.handoffs) {
    const after = b.handoffs.get(topic);
    if (after === undefined) {
      changes.push({ topic, change: 'removed', from: toHandoffSpec(before) });
    } else {
      const from = toHandoffSpec(before);
      const to = toHandoffSpec(after);
      if (!sameHandoff(from, to)) changes.push({ topic, change: 'changed', from, to });
    }
  }
  for (const [topic, after] of b.handoffs) {
    if (!a.handoffs.has(topic)) changes.push({ topic, change: 'added', to: toHandoffSpec(after) });
  }
  return changes.sort((x, y) => compareStrings(x.topic, y.topic));
}

export function diffMappings(a: CompiledMapping, b: CompiledMapping): MappingDiff {
  return {
    fromVersion: a.version,
    toVersion: b.version,
    topics: diffTopics(a, b),
    clusters: diffClusters(a, b),
    handoffs: diffHandoffs(a, b),
  };
}

export function isEmptyDiff(diff: MappingDiff): boolean {
  return diff.topics.length === 0 && diff.clusters.length === 0 && diff.handoffs.length === 0;
}
