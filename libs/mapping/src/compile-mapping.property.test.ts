import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnknownTopicError, compileMapping, parseMapping, type CompiledMapping, type MappingSide } from './index';
import {
  anyMapping,
  listedTopics,
  toMappingDocument,
  topicName,
  type GeneratedMapping,
  type GeneratedSide,
} from './test-support/mapping-arbitraries';

const SIDES: readonly MappingSide[] = ['producer', 'consumer'];

function lookup(compiled: CompiledMapping, side: MappingSide, topic: string) {
  return side === 'producer' ? compiled.producerTargets(topic) : compiled.consumerSources(topic);
}

function modelSide(generated: GeneratedMapping, side: MappingSide): GeneratedSide {
  return side === 'producer' ? generated.producers : generated.consumers;
}

describe('compileMapping resolution (property)', () => {
  it('resolves every listed topic to its key and every other topic to __default__ or UnknownTopicError', () => {
    fc.assert(
      fc.property(anyMapping, topicName, (generated, probe) => {
        // Through JSON text, as a client receives a version.
        const document = JSON.parse(JSON.stringify(toMappingDocument(generated))) as unknown;
        const compiled = compileMapping(parseMapping(document));

        for (const side of SIDES) {
          const model = modelSide(generated, side);
          for (const group of model.groups) {
            const [first] = group.topics;
            for (const topic of group.topics) {
              const refs = lookup(compiled, side, topic);
              expect(refs.map((ref) => ref.name)).toEqual(group.clusters);
              // One frozen array per key, whichever of its topics is asked for.
              expect(refs).toBe(lookup(compiled, side, first ?? topic));
              expect(Object.isFrozen(refs)).toBe(true);
            }
          }
          const listed = listedTopics(model);
          expect(compiled.topics(side)).toEqual([...listed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

          for (const unlisted of [probe, `unlisted.${probe.slice(0, 200)}`]) {
            if (listed.includes(unlisted)) continue;
            if (model.fallback === undefined) {
              expect(() => lookup(compiled, side, unlisted)).toThrow(UnknownTopicError);
              expect(() => lookup(compiled, side, unlisted)).toThrow(`topic "${unlisted}" has no ${side} mapping`);
            } else {
              expect(lookup(compiled, side, unlisted).map((ref) => ref.name)).toEqual(model.fallback);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
