import { describe, expect, it } from 'vitest';
import { composeMapping } from './compose-mapping';
import { MappingValidationError } from './errors';

const clusters = [
  { name: 'fronting-1', bootstrap: ['127.0.0.1:19092'], role: 'fronting' as const, tier: 'medium' as const },
  { name: 'fronting-2', bootstrap: ['127.0.0.1:19192'], role: 'fronting' as const, tier: 'medium' as const },
  { name: 'consumer-1', bootstrap: ['127.0.0.1:19292'], role: 'consumer' as const, tier: null },
];

describe('composeMapping', () => {
  it('builds producer sinks, consumer sources and handoffs from placements, grouping equal topics', () => {
    const document = composeMapping({
      version: 7,
      clusters,
      placements: [
        { topic: 'orders', cluster: 'fronting-1', side: 'producer' },
        { topic: 'orders', cluster: 'fronting-1', side: 'consumer' },
        { topic: 'clicks', cluster: 'fronting-1', side: 'producer' },
        { topic: 'clicks', cluster: 'fronting-1', side: 'consumer' },
        { topic: 'clicks', cluster: 'fronting-2', side: 'consumer' },
      ],
      handoffs: [{ topic: 'clicks', from: 'fronting-1', to: 'fronting-2', keyed: true, sealed: { '0': 12 } }],
    });

    expect(document).toEqual({
      version: 7,
      clusters: {
        'consumer-1': { bootstrap: ['127.0.0.1:19292'], role: 'consumer' },
        'fronting-1': { bootstrap: ['127.0.0.1:19092'], role: 'fronting', tier: 'medium' },
        'fronting-2': { bootstrap: ['127.0.0.1:19192'], role: 'fronting', tier: 'medium' },
      },
      producers: { 'clicks, orders': { where: [{ sink: 'fronting-1' }] } },
      consumers: { clicks: [{ vip: 'fronting-1' }, { vip: 'fronting-2' }], orders: [{ vip: 'fronting-1' }] },
      handoffs: { clicks: { from: 'fronting-1', to: 'fronting-2', keyed: true, sealed: { '0': 12 } } },
    });
  });

  it('refuses a placement on a cluster that is not listed, naming it', () => {
    const compose = () =>
      composeMapping({ version: 1, clusters, placements: [{ topic: 'orders', cluster: 'fronting-9', side: 'producer' }] });

    expect(compose).toThrow(MappingValidationError);
    expect(compose).toThrow('producers.orders.where[0].sink: unknown cluster "fronting-9"');
  });
});
