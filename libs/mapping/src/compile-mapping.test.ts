import { describe, expect, it } from 'vitest';
import {
  MappingValidationError,
  UnknownTopicError,
  compileMapping,
  compileSeedMapping,
  parseMapping,
  parseSeedConsumerMapping,
  parseSeedProducerMapping,
  type MappingDocument,
  type NamedCluster,
} from './index';
import {
  FULL_DOCUMENT_JSON,
  SEED_CONSUMER_JSON,
  SEED_PRODUCER_JSON,
} from './test-support/architecture-examples';

const names = (refs: readonly NamedCluster[]): string[] => refs.map((ref) => ref.name);

function unknownTopic(lookup: () => unknown): UnknownTopicError {
  try {
    lookup();
  } catch (error) {
    if (error instanceof UnknownTopicError) return error;
    throw error;
  }
  throw new Error('expected an UnknownTopicError');
}

describe('compileSeedMapping: the seed examples of ARCHITECTURE.md §3', () => {
  const seed = compileSeedMapping({
    producers: parseSeedProducerMapping(JSON.parse(SEED_PRODUCER_JSON)),
    consumers: parseSeedConsumerMapping(JSON.parse(SEED_CONSUMER_JSON)),
  });

  it('resolves producers: t1, t2 → fronting-kafka-1, t3 → fronting-kafka-2, others → default', () => {
    expect(names(seed.producerTargets('t1'))).toEqual(['fronting-kafka-1']);
    expect(names(seed.producerTargets('t2'))).toEqual(['fronting-kafka-1']);
    expect(names(seed.producerTargets('t3'))).toEqual(['fronting-kafka-2']);
    expect(names(seed.producerTargets('not-listed'))).toEqual(['fronting-kafka-2']);
    expect(seed.producerTargets('not-listed')).toBe(seed.defaultFor('producer'));
  });

  it('resolves consumers: foo → [consumerKafka1, consumerKafka2], bar → [consumerKafka3]', () => {
    expect(names(seed.consumerSources('foo'))).toEqual(['consumerKafka1', 'consumerKafka2']);
    expect(names(seed.consumerSources('bar'))).toEqual(['consumerKafka3']);
  });

  it('throws a typed UnknownTopicError for a consumer topic, as the seed has no default there', () => {
    const error = unknownTopic(() => seed.consumerSources('baz'));
    expect(error.topic).toBe('baz');
    expect(error.side).toBe('consumer');
    expect(error.message).toBe('topic "baz" has no consumer mapping in version 0 and there is no __default__');
    expect(seed.resolve('consumer', 'baz')).toBeUndefined();
  });

  it('lists explicit topics and the clusters the rules name', () => {
    expect(seed.topics('producer')).toEqual(['t1', 't2', 't3']);
    expect(seed.topics('consumer')).toEqual(['bar', 'foo']);
    expect(seed.topics()).toEqual(['bar', 'foo', 't1', 't2', 't3']);
    expect([...seed.clusters.keys()].sort()).toEqual([
      'consumerKafka1',
      'consumerKafka2',
      'consumerKafka3',
      'fronting-kafka-1',
      'fronting-kafka-2',
    ]);
    expect(seed.version).toBe(0);
  });
});

describe('compileMapping: the full document of ARCHITECTURE.md §3', () => {
  const compiled = compileMapping(parseMapping(JSON.parse(FULL_DOCUMENT_JSON)));

  it('resolves producer topics to declared clusters with their bootstrap addresses', () => {
    const [target] = compiled.producerTargets('t1');
    expect(target).toEqual({
      name: 'fronting-kafka-1',
      bootstrap: ['127.0.0.1:19092'],
      tier: 'medium',
      role: 'fronting',
    });
    expect(names(compiled.producerTargets('t2'))).toEqual(['fronting-kafka-1']);
    expect(names(compiled.producerTargets('foo'))).toEqual(['fronting-kafka-2']);
  });

  it('resolves the consumer side and its handoff', () => {
    expect(names(compiled.consumerSources('foo'))).toEqual(['consumer-kafka-1', 'consumer-kafka-2']);
    const handoff = compiled.handoff('foo');
    expect(handoff?.from.name).toBe('consumer-kafka-1');
    expect(handoff?.to.name).toBe('consumer-kafka-2');
    expect(handoff?.keyed).toBe(true);
    expect([...(handoff?.sealed ?? [])]).toEqual([
      [0, 1200],
      [1, 1187],
    ]);
    expect(compiled.handoff('t1')).toBeUndefined();
    const error = unknownTopic(() => compiled.consumerSources('t1'));
    expect(error.message).toBe('topic "t1" has no consumer mapping in version 42 and there is no __default__');
  });

  it('hands out frozen arrays shared by every topic of a key and by every lookup', () => {
    const t1 = compiled.producerTargets('t1');
    expect(Object.isFrozen(t1)).toBe(true);
    expect(compiled.producerTargets('t2')).toBe(t1);
    expect(compiled.producerTargets('t1')).toBe(t1);
    expect(compiled.producerTargets('x')).toBe(compiled.producerTargets('y'));
    expect(Object.isFrozen(t1[0])).toBe(true);
    // The cluster object is the same one whichever topic or side leads to it.
    expect(compiled.clusters.get('fronting-kafka-1')).toBe(t1[0]);
  });

  it('validates a document built in code, not only parsed ones', () => {
    const built: MappingDocument = {
      version: 1,
      clusters: { a: { bootstrap: ['h:1'], role: 'fronting' } },
      producers: { 't1, t1': { where: [{ sink: 'b' }] } },
      consumers: {},
      handoffs: {},
    };
    expect(() => compileMapping(built)).toThrow(MappingValidationError);
    expect(() => compileMapping(built)).toThrow(
      'invalid mapping: producers["t1, t1"].where[0].sink: unknown cluster "b"; ' +
        'producers["t1, t1"]: topic "t1" listed twice in this key',
    );
  });
});
