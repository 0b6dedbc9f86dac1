// Expands the keys of one side ("t1, t2", "__default__") into one entry per topic, reporting
// every empty, illegal or repeated topic and every bad cluster reference on the way. Both
// parsing and compiling go through here, so a compiled mapping can never hold what parsing
// would reject.
import type { MappingIssue } from './errors';
import { formatPath, type PathSegment } from './json-path';
import type { ConsumerRules, ProducerRules } from './mapping-document';
import { isDefaultKey, splitTopicKey, topicNameProblem } from './topic-name';

export interface ExpandedRule {
  /** The document key the topic was listed under; the same object for every topic of a key. */
  readonly key: string;
  readonly clusters: readonly string[];
}

export interface ExpandedSide {
  readonly topics: ReadonlyMap<string, ExpandedRule>;
  readonly fallback: ExpandedRule | undefined;
}

interface ClusterMention {
  readonly name: string;
  readonly path: readonly PathSegment[];
}

interface RuleEntry {
  readonly key: string;
  readonly listPath: readonly PathSegment[];
  readonly mentions: readonly ClusterMention[];
}

type Section = 'producers' | 'consumers';

const EMPTY_LIST_MESSAGES: Readonly<Record<Section, string>> = {
  producers: 'empty list, expected at least one { "sink": <cluster> }',
  consumers: 'empty list, expected at least one { "vip": <cluster> }',
};

/** `known` is the set of declared clusters; undefined (seed documents) skips that check. */
export function expandProducerRules(
  rules: ProducerRules,
  known: ReadonlySet<string> | undefined,
  issues: MappingIssue[],
): ExpandedSide {
  const entries = Object.entries(rules).map(([key, rule]): RuleEntry => ({
    key,
    listPath: ['producers', key, 'where'],
    mentions: rule.where.map((ref, index) => ({
      name: ref.sink,
      path: ['producers', key, 'where', index, 'sink'],
    })),
  }));
  return expandSide('producers', entries, known, issues);
}

export function expandConsumerRules(
  rules: ConsumerRules,
  known: ReadonlySet<string> | undefined,
  issues: MappingIssue[],
): ExpandedSide {
  const entries = Object.entries(rules).map(([key, rule]): RuleEntry => ({
    key,
    listPath: ['consumers', key],
    mentions: rule.map((ref, index) => ({ name: ref.vip, path: ['consumers', key, index, 'vip'] })),
  }));
  return expandSide('consumers', entries, known, issues);
}

function expandSide(
  section: Section,
  entries: readonly RuleEntry[],
  known: ReadonlySet<string> | undefined,
  issues: MappingIssue[],
): ExpandedSide {
  const topics = new Map<string, ExpandedRule>();
  let fallback: ExpandedRule | undefined;
  for (const entry of entries) {
    const rule: ExpandedRule = {
      key: entry.key,
      clusters: checkClusterList(section, entry, known, issues),
    };
    if (isDefaultKey(entry.key)) {
      fallback = rule;
      continue;
    }
    const keyPath = formatPath([section, entry.key]);
    const parts = splitTopicKey(entry.key);
    const inThisKey = new Set<string>();
    parts.forEach((topic, index) => {
      const problem = topicProblem(topic, index, parts.length);
      if (problem !== undefined) {
        issues.push({ path: keyPath, message: problem });
        return;
      }
      if (inThisKey.has(topic)) {
        issues.push({ path: keyPath, message: `topic "${topic}" listed twice in this key` });
        return;
      }
      inThisKey.add(topic);
      const earlier = topics.get(topic);
      if (earlier !== undefined) {
        issues.push({
          path: keyPath,
          message: `topic "${topic}" already listed in ${formatPath([section, earlier.key])}`,
        });
        return;
      }
      topics.set(topic, rule);
    });
  }
  return { topics, fallback };
}

function topicProblem(topic: string, index: number, count: number): string | undefined {
  if (topic === '') {
    return count === 1
      ? 'empty topic name'
      : `empty topic name at position ${index + 1} of the comma-separated list`;
  }
  if (isDefaultKey(topic)) return '"__default__" must be a key on its own, not part of a list of topics';
  return topicNameProblem(topic);
}

function checkClusterList(
  section: Section,
  entry: RuleEntry,
  known: ReadonlySet<string> | undefined,
  issues: MappingIssue[],
): string[] {
  if (entry.mentions.length === 0) {
    issues.push({ path: formatPath(entry.listPath), message: EMPTY_LIST_MESSAGES[section] });
  }
  const firstMention = new Map<string, ClusterMention>();
  for (const mention of entry.mentions) {
    const path = formatPath(mention.path);
    if (mention.name === '') {
      issues.push({ path, message: 'empty cluster name' });
    } else if (known !== undefined && !known.has(mention.name)) {
      issues.push({ path, message: `unknown cluster ${JSON.stringify(mention.name)}` });
    }
    const first = firstMention.get(mention.name);
    if (first === undefined) {
      firstMention.set(mention.name, mention);
    } else {
      issues.push({
        path,
        message: `duplicate cluster ${JSON.stringify(mention.name)}, already listed at ${formatPath(first.path)}`,
      });
    }
  }
  return entry.mentions.map((mention) => mention.name);
}
