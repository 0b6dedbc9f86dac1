// Which cluster a transaction binds to, and how it refuses topics placed elsewhere: a span of
// clusters (not retryable, names topics and clusters) versus a topic moved off the bound cluster
// by a later mapping version (retryable).
import { ConflictError, ValidationError } from '@flotilla/errors';
import { compileMapping, type CompiledMapping } from '@flotilla/mapping';
import { describe, expect, it } from 'vitest';
import { bind, movedSince, placeOf } from './transaction-binding';

const clusters = {
  one: { bootstrap: ['127.0.0.1:1'], role: 'fronting', tier: 'medium' },
  two: { bootstrap: ['127.0.0.1:2'], role: 'fronting', tier: 'medium' },
} as const;

function mapping(version: number, producers: Record<string, string[]>, consumers: Record<string, string[]> = {}): CompiledMapping {
  return compileMapping({
    version,
    clusters,
    producers: Object.fromEntries(Object.entries(producers).map(([topic, sinks]) => [topic, { where: sinks.map((sink) => ({ sink })) }])),
    consumers: { __default__: [{ vip: 'one' }], ...Object.fromEntries(Object.entries(consumers).map(([topic, vips]) => [topic, vips.map((vip) => ({ vip }))])) },
    handoffs: {},
  });
}

const v1 = mapping(1, { __default__: ['one'], far: ['two'], both: ['one', 'two'] }, { split: ['one', 'two'] });

function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('bind', () => {
  it('binds to the cluster of the first call\'s topics and keeps it for later topics there', () => {
    const binding = bind(v1, [{ topic: 'a', side: 'producer' }], undefined, 'tx');
    expect(binding.cluster.name).toBe('one');
    expect(binding.topic).toBe('a');
    expect(bind(v1, [{ topic: 'b', side: 'producer' }, { topic: 'in', side: 'consumer' }], binding, 'tx')).toBe(binding);
  });

  it('refuses topics on another cluster, naming the topics and their clusters, not retryable', () => {
    const binding = bind(v1, [{ topic: 'a', side: 'producer' }], undefined, 'tx');
    const later = thrown(() => bind(v1, [{ topic: 'far', side: 'producer' }], binding, 'tx'));
    expect(later).toBeInstanceOf(ValidationError);
    expect((later as ValidationError).retryable).toBe(false);
    expect(later.message).toContain('"a" on one, "far" on two');

    const firstCall = thrown(() => bind(v1, [{ topic: 'a', side: 'producer' }, { topic: 'far', side: 'producer' }], undefined, 'tx'));
    expect(firstCall.message).toContain('"a" on one, "far" on two');
  });

  it('refuses a topic written to several clusters, which no one transaction can cover', () => {
    expect(thrown(() => bind(v1, [{ topic: 'both', side: 'producer' }], undefined, 'tx')).message).toContain('topic "both" is written to 2 clusters (one, two)');
  });

  it('takes offsets of a topic read from several clusters only with the cluster they belong to', () => {
    expect(thrown(() => placeOf(v1, { topic: 'split', side: 'consumer' })).message).toContain('give the cluster its offsets belong to as `cluster`');
    expect(placeOf(v1, { topic: 'split', side: 'consumer', cluster: 'two' }).name).toBe('two');
    expect((thrown(() => placeOf(v1, { topic: 'a', side: 'consumer', cluster: 'two' })) as ValidationError).field).toBe('cluster');
  });
});

describe('a topic moved off the bound cluster', () => {
  const binding = bind(v1, [{ topic: 'a', side: 'producer' }], undefined, 'tx');
  const moved = mapping(2, { __default__: ['one'], a: ['two'], far: ['two'] });

  it('makes a later call to it fail with a retryable ConflictError that says where it went', () => {
    const error = thrown(() => bind(moved, [{ topic: 'a', side: 'producer' }], binding, 'tx'));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).retriable).toBe(true);
    expect(error.message).toContain('topic "a" is now written to two (mapping version 2, the transaction began under 1)');
  });

  it('is found at commit; a version that left the transaction\'s topics in place is not', () => {
    const uses = [{ topic: 'a', side: 'producer' as const }, { topic: 'b', side: 'producer' as const }];
    expect(movedSince(v1, binding, uses, 'tx')).toBeUndefined();
    expect(movedSince(mapping(3, { __default__: ['one'], far: ['two'] }), binding, uses, 'tx')).toBeUndefined();
    expect(movedSince(moved, binding, uses, 'tx')?.retryable).toBe(true);
  });

  it('counts a changed bootstrap of the bound cluster as a move', () => {
    const readdressed = compileMapping({
      version: 4,
      clusters: { ...clusters, one: { ...clusters.one, bootstrap: ['127.0.0.1:9'] } },
      producers: { __default__: { where: [{ sink: 'one' }] } },
      consumers: { __default__: [{ vip: 'one' }] },
      handoffs: {},
    });
    expect(movedSince(readdressed, binding, [{ topic: 'a', side: 'producer' }], 'tx')).toBeInstanceOf(ConflictError);
  });
});
