import { compileMapping, parseMapping } from '@flotilla/mapping';
import { describe, expect, it } from 'vitest';
import { topicsByCluster } from './topics-by-cluster';

const mapping = compileMapping(
  parseMapping({
    version: 1,
    clusters: {
      'fronting-1': { bootstrap: ['127.0.0.1:19092'], tier: 'medium', role: 'fronting' },
      'consumer-1': { bootstrap: ['127.0.0.1:19292'], role: 'consumer' },
      'consumer-2': { bootstrap: ['127.0.0.1:19392'], role: 'consumer' },
    },
    producers: { __default__: { where: [{ sink: 'fronting-1' }] } },
    consumers: {
      'orders, payments': [{ vip: 'consumer-1' }, { vip: 'consumer-2' }],
      audit: [{ vip: 'consumer-2' }],
      __default__: [{ vip: 'consumer-1' }],
    },
  }),
);

describe('topicsByCluster', () => {
  it('reads each subscribed topic on every cluster the mapping lists for it, lists sorted', () => {
    const byCluster = topicsByCluster(mapping, [
      { pattern: 'payments', fromBeginning: false },
      { pattern: 'audit', fromBeginning: false },
      { pattern: 'orders', fromBeginning: true },
    ]);
    expect(Object.fromEntries(byCluster)).toEqual({ 'consumer-1': ['orders', 'payments'], 'consumer-2': ['audit', 'orders', 'payments'] });
  });

  it('matches a pattern against the topics the mapping names, and a name the mapping does not list goes where __default__ says', () => {
    const byCluster = topicsByCluster(mapping, [
      { pattern: /^pay|^aud/, fromBeginning: false },
      { pattern: 'unlisted', fromBeginning: false },
    ]);
    expect(Object.fromEntries(byCluster)).toEqual({ 'consumer-1': ['payments', 'unlisted'], 'consumer-2': ['audit', 'payments'] });
  });

  it('reads nothing without subscriptions', () => {
    expect(topicsByCluster(mapping, []).size).toBe(0);
  });
});
