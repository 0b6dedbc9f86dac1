import { describe, expect, it } from 'vitest';
import { compileMapping, diffMappings, parseMapping, type HandoffSpec, type MappingDocument } from './index';
import { FULL_DOCUMENT_JSON, fullDocument } from './test-support/architecture-examples';

const CLUSTERS = {
  cluster1: { bootstrap: ['127.0.0.1:19092'], tier: 'medium', role: 'fronting' },
  cluster2: { bootstrap: ['127.0.0.1:19192'], tier: 'medium', role: 'fronting' },
} as const;

function version(
  number: number,
  producer: string,
  consumer: string[],
  handoffs: Record<string, HandoffSpec> = {},
): MappingDocument {
  return {
    version: number,
    clusters: CLUSTERS,
    producers: { foo: { where: [{ sink: producer }] } },
    consumers: { foo: consumer.map((vip) => ({ vip })) },
    handoffs,
  };
}

const compile = (input: unknown) => compileMapping(parseMapping(input));

describe('diffMappings: the topic move of ARCHITECTURE.md §3', () => {
  const sealed: HandoffSpec = { from: 'cluster1', to: 'cluster2', keyed: true, sealed: { '0': 10, '1': 12 } };
  const versions = [
    version(1, 'cluster1', ['cluster1']),
    version(2, 'cluster1', ['cluster1', 'cluster2']),
    version(3, 'cluster2', ['cluster1', 'cluster2'], { foo: sealed }),
    version(4, 'cluster2', ['cluster2']),
  ].map(compileMapping);

  it('reports one side of one topic per step, and the handoff while keyed data drains', () => {
    const steps = versions.slice(1).map((after, index) => {
      const before = versions[index];
      if (before === undefined) throw new Error('missing version');
      return diffMappings(before, after);
    });
    expect(steps).toEqual([
      {
        fromVersion: 1,
        toVersion: 2,
        topics: [{ topic: 'foo', side: 'consumer', from: ['cluster1'], to: ['cluster1', 'cluster2'] }],
        clusters: [],
        handoffs: [],
      },
      {
        fromVersion: 2,
        toVersion: 3,
        topics: [{ topic: 'foo', side: 'producer', from: ['cluster1'], to: ['cluster2'] }],
        clusters: [],
        handoffs: [{ topic: 'foo', change: 'added', to: sealed }],
      },
      {
        fromVersion: 3,
        toVersion: 4,
        topics: [{ topic: 'foo', side: 'consumer', from: ['cluster1', 'cluster2'], to: ['cluster2'] }],
        clusters: [],
        handoffs: [{ topic: 'foo', change: 'removed', from: sealed }],
      },
    ]);
  });
});

describe('diffMappings: clusters, defaults and ordering', () => {
  it('reports cluster additions, removals and changed fields, sorted by cluster', () => {
    const before = fullDocument();
    const after = fullDocument();
    after['version'] = 43;
    after['clusters'] = {
      'fronting-kafka-1': { bootstrap: ['127.0.0.1:19092', '127.0.0.1:19093'], tier: 'high', role: 'fronting' },
      'fronting-kafka-2': { bootstrap: ['127.0.0.1:19192'], tier: 'medium', role: 'fronting' },
      'consumer-kafka-1': { bootstrap: ['127.0.0.1:19292'], role: 'consumer' },
      'consumer-kafka-2': { bootstrap: ['127.0.0.1:19392'], role: 'consumer' },
      'consumer-kafka-3': { bootstrap: ['127.0.0.1:19492'], role: 'consumer' },
    };
    const diff = diffMappings(compile(before), compile(after));
    expect(diff.clusters).toEqual([
      { cluster: 'consumer-kafka-3', change: 'added', to: { bootstrap: ['127.0.0.1:19492'], role: 'consumer' } },
      {
        cluster: 'fronting-kafka-1',
        change: 'bootstrap',
        from: ['127.0.0.1:19092'],
        to: ['127.0.0.1:19092', '127.0.0.1:19093'],
      },
      { cluster: 'fronting-kafka-1', change: 'tier', from: 'medium', to: 'high' },
    ]);
    expect(diff.topics).toEqual([]);

    const removed = diffMappings(compile(after), compile(before));
    expect(removed.clusters[0]).toEqual({
      cluster: 'consumer-kafka-3',
      change: 'removed',
      from: { bootstrap: ['127.0.0.1:19492'], role: 'consumer' },
    });
  });

  it('reports a changed __default__ once, after the topics, and not for each unlisted topic', () => {
    const after = fullDocument();
    after['producers'] = {
      't1, t2': { where: [{ sink: 'fronting-kafka-2' }] },
      // Spelling out what __default__ used to give t3 is no change for t3.
      t3: { where: [{ sink: 'fronting-kafka-2' }] },
      __default__: { where: [{ sink: 'fronting-kafka-1' }] },
    };
    after['consumers'] = {
      foo: [{ vip: 'consumer-kafka-2' }, { vip: 'consumer-kafka-1' }],
      bar: [{ vip: 'consumer-kafka-1' }],
    };
    const diff = diffMappings(compile(JSON.parse(FULL_DOCUMENT_JSON)), compile(after));
    expect(diff.topics).toEqual([
      // bar had no consumer mapping and no default: it resolved nowhere.
      { topic: 'bar', side: 'consumer', from: [], to: ['consumer-kafka-1'] },
      { topic: 't1', side: 'producer', from: ['fronting-kafka-1'], to: ['fronting-kafka-2'] },
      { topic: 't2', side: 'producer', from: ['fronting-kafka-1'], to: ['fronting-kafka-2'] },
      { topic: '__default__', side: 'producer', from: ['fronting-kafka-2'], to: ['fronting-kafka-1'] },
    ]);
  });

  it('reports a handoff whose sealed offsets changed', () => {
    const after = fullDocument();
    after['handoffs'] = {
      foo: { from: 'consumer-kafka-1', to: 'consumer-kafka-2', keyed: true, sealed: { '0': 1200, '1': 1190 } },
    };
    const diff = diffMappings(compile(JSON.parse(FULL_DOCUMENT_JSON)), compile(after));
    expect(diff.handoffs).toEqual([
      {
        topic: 'foo',
        change: 'changed',
        from: { from: 'consumer-kafka-1', to: 'consumer-kafka-2', keyed: true, sealed: { '0': 1200, '1': 1187 } },
        to: { from: 'consumer-kafka-1', to: 'consumer-kafka-2', keyed: true, sealed: { '0': 1200, '1': 1190 } },
      },
    ]);
  });
});
