import { compileMapping, parseMapping, type ClusterRef } from '@flotilla/mapping';
import { describe, expect, it } from 'vitest';
import { checkSubscription } from './subscribed-topics';

const mapping = compileMapping(
  parseMapping({
    version: 7,
    clusters: {
      'fronting-1': { bootstrap: ['127.0.0.1:19092'], tier: 'medium', role: 'fronting' },
      'consumer-1': { bootstrap: ['127.0.0.1:19292'], role: 'consumer' },
    },
    producers: { __default__: { where: [{ sink: 'fronting-1' }] } },
    consumers: { orders: [{ vip: 'consumer-1' }], __default__: [{ vip: 'fronting-1' }] },
  }),
);
const onlyListed = compileMapping(
  parseMapping({
    version: 8,
    clusters: { 'consumer-1': { bootstrap: ['127.0.0.1:19292'], role: 'consumer' } },
    producers: { orders: { where: [{ sink: 'consumer-1' }] } },
    consumers: { orders: [{ vip: 'consumer-1' }] },
  }),
);

const topicsOn: Record<string, string[] | undefined> = {
  'fronting-1': ['__consumer_offsets', 'payments', 'pay-audit', 'orders', 'logs'],
  'consumer-1': ['orders'],
};
const listTopics = async (cluster: ClusterRef) => topicsOn[cluster.name];

describe('checkSubscription', () => {
  it('accepts topics that exist where the mapping reads them', async () => {
    expect(await checkSubscription(mapping, ['orders', 'payments'], listTopics)).toEqual(['orders', 'payments']);
  });

  it('refuses a topic missing on a cluster the mapping reads it from, naming topic and cluster', async () => {
    await expect(checkSubscription(mapping, ['missing'], listTopics)).rejects.toThrow(
      /topic "missing" does not exist on cluster "fronting-1", which mapping version 7 reads it from/,
    );
  });

  it('refuses a topic the mapping places nowhere', async () => {
    await expect(checkSubscription(onlyListed, ['payments'], listTopics)).rejects.toThrow(/topic "payments" is not placed on any cluster by mapping version 8/);
  });

  it('does not check a cluster that cannot be asked now', async () => {
    expect(await checkSubscription(mapping, ['missing'], async () => undefined)).toEqual(['missing']);
  });

  it('adds the __default__ topics a RegExp matches, leaving out internal ones and those the mapping places elsewhere', async () => {
    expect(await checkSubscription(mapping, [/^pay|^__|^orders$/g], listTopics)).toEqual([/^pay|^__|^orders$/g, 'payments', 'pay-audit']);
  });
});
