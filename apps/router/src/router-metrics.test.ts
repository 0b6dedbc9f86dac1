import { createMetricsRegistry } from '@flotilla/observability';
import { describe, expect, it } from 'vitest';
import { RouterMetrics } from './router-metrics';

const lagOf = async (metrics: RouterMetrics, route: string) => (await metrics.lag.get()).values.find((v) => v.labels['route'] === route)?.value;

describe('RouterMetrics lag', () => {
  it('sums a route\'s partitions, and drops those a rebalance gave to another router on that cluster only', async () => {
    const metrics = new RouterMetrics(createMetricsRegistry('router-test'));
    metrics.setLag('r', 'fronting-1/0', 10);
    metrics.setLag('r', 'fronting-1/1', 20);
    metrics.setLag('r', 'fronting-2/1', 5);
    expect(await lagOf(metrics, 'r')).toBe(35);

    metrics.keepLags('r', 'fronting-1', [0]);
    expect(await lagOf(metrics, 'r')).toBe(15);
    metrics.setLag('r', 'fronting-1/0', 2);
    expect(await lagOf(metrics, 'r')).toBe(7);
  });
});
