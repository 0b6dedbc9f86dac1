import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TOPIC_KEY,
  compileMapping,
  diffMappings,
  isEmptyDiff,
  parseMapping,
  type CompiledMapping,
  type MappingDocument,
  type MappingSide,
  type TopicChange,
} from './index';
import {
  anyMapping,
  clusterNames,
  expectedResolution,
  generatedMapping,
  listedTopics,
  mappingPair,
  toMappingDocument,
  topicName,
  topicUniverse,
  type GeneratedMapping,
} from './test-support/mapping-arbitraries';

const SIDES: readonly MappingSide[] = ['producer', 'consumer'];

const compile = (generated: GeneratedMapping): CompiledMapping => compileMapping(toMappingDocument(generated));

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

function changeKey(change: Pick<TopicChange, 'side' | 'topic'>): string {
  return `${change.side}/${change.topic}`;
}

describe('diffMappings (property)', () => {
  it('diff(a, a) is empty', () => {
    fc.assert(
      fc.property(anyMapping, (generated) => {
        const compiled = compile(generated);
        expect(isEmptyDiff(diffMappings(compiled, compiled))).toBe(true);
        // Nor does compiling the same document twice make a difference.
        expect(isEmptyDiff(diffMappings(compiled, compile(generated)))).toBe(true);
      }),
    );
  });

  it('diff(a, b) lists exactly the topics whose resolution differs', () => {
    fc.assert(
      fc.property(mappingPair, topicName, ([genA, genB], probe) => {
        const a = compile(genA);
        const b = compile(genB);
        const diff = diffMappings(a, b);

        // The model's answer, computed from the generated groups alone.
        const expected = new Map<string, TopicChange>();
        for (const side of SIDES) {
          const modelA = side === 'producer' ? genA.producers : genA.consumers;
          const modelB = side === 'producer' ? genB.producers : genB.consumers;
          for (const topic of new Set([...listedTopics(modelA), ...listedTopics(modelB)])) {
            const from = expectedResolution(modelA, topic) ?? [];
            const to = expectedResolution(modelB, topic) ?? [];
            if (!sameSet(from, to)) expected.set(changeKey({ side, topic }), { topic, side, from, to });
          }
          const from = modelA.fallback ?? [];
          const to = modelB.fallback ?? [];
          if (!sameSet(from, to)) {
            expected.set(changeKey({ side, topic: DEFAULT_TOPIC_KEY }), { topic: DEFAULT_TOPIC_KEY, side, from, to });
          }
        }
        expect(new Map(diff.topics.map((change) => [changeKey(change), change]))).toEqual(expected);
        expect(diff.topics).toHaveLength(expected.size);

        // And against the compiled lookups: a topic resolving differently, listed or not, is
        // reported under its own name or, when neither version lists it, under __default__.
        const reported = new Set(diff.topics.map(changeKey));
        for (const side of SIDES) {
          for (const topic of new Set([...a.topics(side), ...b.topics(side), probe])) {
            const listed = a.topics(side).includes(topic) || b.topics(side).includes(topic);
            const before = a.resolve(side, topic)?.map((ref) => ref.name) ?? [];
            const after = b.resolve(side, topic)?.map((ref) => ref.name) ?? [];
            const key = changeKey({ side, topic: listed ? topic : DEFAULT_TOPIC_KEY });
            expect(reported.has(key)).toBe(!sameSet(before, after));
          }
        }

        // Sorted: by topic with __default__ last, then producer before consumer.
        const order = diff.topics.map((change) => [
          change.topic === DEFAULT_TOPIC_KEY ? 1 : 0,
          change.topic,
          SIDES.indexOf(change.side),
        ]);
        const sorted = [...order].sort(
          ([d1, t1, s1], [d2, t2, s2]) =>
            Number(d1) - Number(d2) || (t1 === t2 ? Number(s1) - Number(s2) : String(t1) < String(t2) ? -1 : 1),
        );
        expect(order).toEqual(sorted);
      }),
      { numRuns: 300 },
    );
  });

  it('a topic move (§3, §4) diffs as one change per published version', () => {
    const moveCase = fc
      .record({
        clusters: clusterNames.filter((names) => names.length >= 2),
        universe: topicUniverse,
        topic: topicName,
      })
      .chain(({ clusters, universe, topic }) =>
        fc.record({
          topic: fc.constant(topic),
          ends: fc.shuffledSubarray(clusters, { minLength: 2, maxLength: 2 }),
          background: generatedMapping(
            clusters,
            universe.filter((name) => name !== topic),
          ),
        }),
      );

    fc.assert(
      fc.property(moveCase, ({ topic, ends: [source = '', target = ''], background }) => {
        const base = toMappingDocument(background);
        const version = (step: number, producer: string[], consumer: string[]): MappingDocument => ({
          ...base,
          version: base.version + step,
          producers: { ...base.producers, [topic]: { where: producer.map((sink) => ({ sink })) } },
          consumers: { ...base.consumers, [topic]: consumer.map((vip) => ({ vip })) },
        });
        const versions = [
          version(0, [source], [source]),
          version(1, [source], [source, target]),
          version(2, [target], [source, target]),
          version(3, [target], [target]),
        ].map((document) => compileMapping(parseMapping(document)));

        // At no version may a producer write where no consumer reads.
        for (const compiled of versions) {
          const reading = compiled.consumerSources(topic).map((ref) => ref.name);
          for (const ref of compiled.producerTargets(topic)) expect(reading).toContain(ref.name);
        }

        const expectedSteps: TopicChange[] = [
          { topic, side: 'consumer', from: [source], to: [source, target] },
          { topic, side: 'producer', from: [source], to: [target] },
          { topic, side: 'consumer', from: [source, target], to: [target] },
        ];
        expectedSteps.forEach((step, index) => {
          const [before, after] = [versions[index], versions[index + 1]];
          if (before === undefined || after === undefined) throw new Error('missing version');
          expect(diffMappings(before, after)).toEqual({
            fromVersion: before.version,
            toVersion: after.version,
            topics: [step],
            clusters: [],
            handoffs: [],
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});
