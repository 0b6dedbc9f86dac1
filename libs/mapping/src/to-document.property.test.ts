import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileMapping,
  diffMappings,
  isEmptyDiff,
  parseMapping,
  toDocument,
  type CompiledMapping,
  type MappingSide,
} from './index';
import { anyMapping, toMappingDocument, topicName } from './test-support/mapping-arbitraries';

const SIDES: readonly MappingSide[] = ['producer', 'consumer'];

function resolvedNames(compiled: CompiledMapping, side: MappingSide, topic: string): string[] | undefined {
  return compiled.resolve(side, topic)?.map((ref) => ref.name);
}

describe('toDocument (property)', () => {
  it('re-serialising a compiled mapping and parsing it again gives identical resolutions', () => {
    fc.assert(
      fc.property(anyMapping, topicName, (generated, probe) => {
        const original = compileMapping(toMappingDocument(generated));
        const text = JSON.stringify(toDocument(original));
        const again = compileMapping(parseMapping(JSON.parse(text)));

        expect(again.version).toBe(original.version);
        expect(again.topics()).toEqual(original.topics());
        for (const side of SIDES) {
          expect(again.topics(side)).toEqual(original.topics(side));
          for (const topic of [...original.topics(side), probe]) {
            expect(resolvedNames(again, side, topic)).toEqual(resolvedNames(original, side, topic));
          }
          expect(again.defaultFor(side)?.map((ref) => ref.name)).toEqual(
            original.defaultFor(side)?.map((ref) => ref.name),
          );
        }
        expect([...again.clusters.values()]).toEqual(
          [...original.clusters.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
        );
        for (const [topic, handoff] of original.handoffs) {
          expect(again.handoff(topic)).toEqual(handoff);
        }
        expect(again.handoffs.size).toBe(original.handoffs.size);
        expect(isEmptyDiff(diffMappings(original, again))).toBe(true);
        // Canonical form is a fixpoint: serialising the re-parsed mapping changes nothing.
        expect(JSON.stringify(toDocument(again))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
