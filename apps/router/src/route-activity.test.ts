import { createMetricsRegistry } from '@flotilla/observability';
import { describe, expect, it } from 'vitest';
import { RouteActivity } from './route-activity';
import { RouterMetrics } from './router-metrics';

const minute = (iso: string) => Date.parse(iso);

function setup() {
  const metrics = new RouterMetrics(createMetricsRegistry('router-test'));
  let now = minute('2026-12-07T21:00:10Z');
  const activity = new RouteActivity(metrics, { keepWindows: 3, now: () => now });
  return { metrics, activity, at: (iso: string) => void (now = Date.parse(iso)) };
}

describe('RouteActivity', () => {
  it('counts each route\'s records per window from the router\'s counters, out summed over destinations', async () => {
    const { metrics, activity, at } = setup();
    metrics.recordsIn.inc({ route: 'a' }, 10);
    metrics.recordsOut.inc({ route: 'a', destination: 'x' }, 8);
    metrics.recordsOut.inc({ route: 'a', destination: 'y' }, 8);
    metrics.filtered.inc({ route: 'a' }, 2);
    metrics.setLag('a', 'fronting-1/0', 30);
    metrics.setLag('a', 'fronting-1/1', 12);
    metrics.recordsIn.inc({ route: 'b' }, 1);

    expect(await activity.sample([{ name: 'a', routeSetVersion: 4 }])).toEqual({
      a: { routeSetVersion: 4, lag: 42, windows: [{ windowStart: minute('2026-12-07T21:00Z'), in: 10, out: 16, filtered: 2, deadLettered: 0 }] },
    });

    // Only what came since the last sample goes into the next minute.
    at('2026-12-07T21:01:05Z');
    metrics.recordsIn.inc({ route: 'a' }, 5);
    metrics.deadLettered.inc({ route: 'a' }, 5);
    const { a } = await activity.sample([{ name: 'a', routeSetVersion: 5 }]);
    expect(a?.routeSetVersion).toBe(5);
    expect(a?.windows).toEqual([
      { windowStart: minute('2026-12-07T21:00Z'), in: 10, out: 16, filtered: 2, deadLettered: 0 },
      { windowStart: minute('2026-12-07T21:01Z'), in: 5, out: 0, filtered: 0, deadLettered: 5 },
    ]);
  });

  it('reports the current window with zeros while a route is idle, and keeps only the newest windows', async () => {
    const { metrics, activity, at } = setup();
    metrics.recordsIn.inc({ route: 'a' }, 3);
    await activity.sample([{ name: 'a', routeSetVersion: 1 }]);
    at('2026-12-07T21:04:00Z');
    const { a } = await activity.sample([{ name: 'a', routeSetVersion: 1 }]);
    // 21:00 is older than three windows back from 21:04.
    expect(a?.windows).toEqual([{ windowStart: minute('2026-12-07T21:04Z'), in: 0, out: 0, filtered: 0, deadLettered: 0 }]);
  });

  it('drops the windows of a route no longer run here, and counts on from its totals when it runs again', async () => {
    const { metrics, activity } = setup();
    metrics.recordsIn.inc({ route: 'a' }, 3);
    await activity.sample([{ name: 'a', routeSetVersion: 1 }]);
    expect(await activity.sample([])).toEqual({});
    metrics.recordsIn.inc({ route: 'a' }, 2);
    const { a } = await activity.sample([{ name: 'a', routeSetVersion: 2 }]);
    expect(a?.windows).toEqual([{ windowStart: minute('2026-12-07T21:00Z'), in: 2, out: 0, filtered: 0, deadLettered: 0 }]);
  });
});
