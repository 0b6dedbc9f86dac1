// The rules zod cannot express locally: Kafka's naming rules, references between sections
// (every cluster a rule or handoff names must be declared) and value ranges, each reported
// with its path, the value found and what was expected.
import { showValue } from '@flotilla/errors';
import { bootstrapAddressProblem } from './bootstrap-address';
import type { MappingIssue } from './errors';
import {
  expandConsumerRules,
  expandProducerRules,
  type ExpandedSide,
} from './expand-rules';
import { formatPath, type PathSegment } from './json-path';
import type {
  ClusterSpec,
  ConsumerRules,
  HandoffSpec,
  ProducerRules,
} from './mapping-document';
import { isDefaultKey, topicNameProblem } from './topic-name';

/** Sections that passed the structural schemas; undefined ones failed and were reported. */
export interface MappingSections {
  readonly clusters: Readonly<Record<string, ClusterSpec>> | undefined;
  readonly producers: ProducerRules | undefined;
  readonly consumers: ConsumerRules | undefined;
  readonly handoffs: Readonly<Record<string, HandoffSpec>> | undefined;
}

export interface AnalyzedMapping {
  readonly producers: ExpandedSide;
  readonly consumers: ExpandedSide;
}

const NO_TOPICS: ExpandedSide = { topics: new Map(), fallback: undefined };

// Kafka partition numbers are int32.
const PARTITION = /^(?:0|[1-9][0-9]{0,9})$/;
const MAX_PARTITION = 2_147_483_647;

// A mapping document is at most five levels deep (handoffs.<topic>.sealed.<partition>); the
// margin only guards against cyclic objects handed in by code rather than JSON.parse.
const MAX_DEPTH = 8;

function issue(issues: MappingIssue[], path: readonly PathSegment[], message: string): void {
  issues.push({ path: formatPath(path), message });
}

export function checkVersion(value: unknown, issues: MappingIssue[]): value is number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return true;
  issue(
    issues,
    ['version'],
    value === undefined
      ? 'missing, expected a positive integer'
      : `expected a positive integer, got ${showValue(value)}`,
  );
  return false;
}

/**
 * JSON.parse keeps a `"__proto__"` key as an own property, but copying it into a fresh object
 * (as schema parsing does) sets the prototype instead, so the entry would vanish silently.
 */
export function checkProtoKeys(
  value: unknown,
  path: readonly PathSegment[],
  issues: MappingIssue[],
  depth = 0,
): void {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  if (Object.hasOwn(value, '__proto__')) {
    issue(issues, [...path, '__proto__'], 'unsupported key "__proto__"');
  }
  for (const [key, child] of Object.entries(value)) {
    checkProtoKeys(child, [...path, Array.isArray(value) ? Number(key) : key], issues, depth + 1);
  }
}

export function checkClusters(
  clusters: Readonly<Record<string, ClusterSpec>>,
  issues: MappingIssue[],
): void {
  for (const [name, spec] of Object.entries(clusters)) {
    if (name.trim() === '') issue(issues, ['clusters', name], 'empty cluster name');
    for (const key of ['bootstrap', 'saslBootstrap'] as const) {
      const addresses = spec[key];
      if (addresses === undefined) continue;
      if (addresses.length === 0) issue(issues, ['clusters', name, key], 'empty list, expected at least one host:port');
      addresses.forEach((address, index) => {
        const problem = bootstrapAddressProblem(address);
        if (problem !== undefined) issue(issues, ['clusters', name, key, index], problem);
      });
    }
  }
}

export function checkHandoffs(
  handoffs: Readonly<Record<string, HandoffSpec>>,
  known: ReadonlySet<string> | undefined,
  issues: MappingIssue[],
): void {
  for (const [topic, spec] of Object.entries(handoffs)) {
    const base = ['handoffs', topic];
    const topicProblem = isDefaultKey(topic)
      ? 'expected a topic name, "__default__" applies only to producers and consumers'
      : topicNameProblem(topic);
    if (topicProblem !== undefined) issue(issues, base, topicProblem);

    for (const end of ['from', 'to'] as const) {
      const name = spec[end];
      if (name === '') issue(issues, [...base, end], 'empty cluster name');
      else if (known !== undefined && !known.has(name)) {
        issue(issues, [...base, end], `unknown cluster ${JSON.stringify(name)}`);
      }
    }
    if (spec.from === spec.to && spec.from !== '') {
      issue(issues, [...base, 'to'], `expected a cluster other than from, got ${JSON.stringify(spec.to)}`);
    }

    for (const [partition, offset] of Object.entries(spec.sealed)) {
      const path = [...base, 'sealed', partition];
      if (!PARTITION.test(partition) || Number(partition) > MAX_PARTITION) {
        issue(issues, path, `invalid partition ${JSON.stringify(partition)}, expected a non-negative integer`);
      }
      if (!Number.isSafeInteger(offset) || offset < 0) {
        issue(issues, path, `expected a non-negative integer offset, got ${showValue(offset)}`);
      }
    }
  }
}

/**
 * Every cross-section check. A section that failed its schema is skipped, and when `clusters`
 * failed, cluster references are not checked: each would repeat the one real problem.
 */
export function analyzeSections(sections: MappingSections, issues: MappingIssue[]): AnalyzedMapping {
  if (sections.clusters !== undefined) checkClusters(sections.clusters, issues);
  const known = sections.clusters === undefined ? undefined : new Set(Object.keys(sections.clusters));
  const producers =
    sections.producers === undefined ? NO_TOPICS : expandProducerRules(sections.producers, known, issues);
  const consumers =
    sections.consumers === undefined ? NO_TOPICS : expandConsumerRules(sections.consumers, known, issues);
  if (sections.handoffs !== undefined) checkHandoffs(sections.handoffs, known, issues);
  return { producers, consumers };
}
