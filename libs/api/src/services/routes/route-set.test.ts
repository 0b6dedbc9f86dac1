import type { StoredRoute } from '@flotilla/db';
import { describe, expect, it } from 'vitest';
import { sharedClusters } from './own-input';
import { dropRoute, putRoute, setRouteState } from './route-set';

const stored = (name: string, state: StoredRoute['state'] = 'active'): StoredRoute => ({
  name,
  state,
  definition: { name, source: `${name}-in`, destinations: [{ topic: `${name}-out` }] },
  updatedBy: 'ops/1',
  updatedAt: '2026-12-07T00:00:00.000Z',
});

describe('route set composition', () => {
  it('adds a route in name order and replaces one of the same name', () => {
    const set = putRoute(putRoute([stored('orders')], stored('clicks')), stored('payments'));
    const replaced = putRoute(set, { ...stored('orders'), updatedBy: 'ops/2' });

    expect(set.map((r) => r.name)).toEqual(['clicks', 'orders', 'payments']);
    expect(replaced.map((r) => [r.name, r.updatedBy])).toEqual([
      ['clicks', 'ops/1'],
      ['orders', 'ops/2'],
      ['payments', 'ops/1'],
    ]);
  });

  it('pauses one route, stamping who and when, and leaves the others and the input as they were', () => {
    const set = [stored('clicks'), stored('orders')];

    const paused = setRouteState(set, 'orders', 'paused', { updatedBy: 'ops/3', updatedAt: '2026-12-08T00:00:00.000Z' });

    expect(paused.map((r) => [r.name, r.state, r.updatedBy])).toEqual([
      ['clicks', 'active', 'ops/1'],
      ['orders', 'paused', 'ops/3'],
    ]);
    expect(set[1]?.state).toBe('active');
  });

  it('removes a route by name', () => {
    expect(dropRoute([stored('clicks'), stored('orders')], 'clicks').map((r) => r.name)).toEqual(['orders']);
  });
});

describe('sharedClusters', () => {
  it('names the clusters on both sides of a placement, none when producers and consumers differ', () => {
    expect(sharedClusters({ producers: ['fronting-1'], consumers: ['fronting-1', 'consumer-1'] })).toEqual(['fronting-1']);
    expect(sharedClusters({ producers: ['fronting-1'], consumers: ['consumer-1', 'consumer-2'] })).toEqual([]);
  });
});
