// Per-route counts per one-minute window, for heartbeats: taken from the router's Prometheus
// counters (in, out, filtered, dead-lettered) by difference between samples, so the heartbeats and
// /metrics count the same records by construction. A sample's difference is put in the window of
// the sample's time: a record is at most one heartbeat interval late into its window.
import type { RouteSnapshot, RouteWindowCount } from '@flotilla/client/internal';
import type { Counter } from '@flotilla/observability';
import type { RouterMetrics } from './router-metrics';

type Counts = Omit<RouteWindowCount, 'windowStart'>;
type Totals = Map<string, number>;

const zero = (): Counts => ({ in: 0, out: 0, filtered: 0, deadLettered: 0 });

export interface RouteActivityOptions {
  readonly windowMs?: number;
  /** Windows kept (and reported) per route, the current one included. */
  readonly keepWindows?: number;
  readonly now?: () => number;
}

export class RouteActivity {
  readonly #windowMs: number;
  readonly #keep: number;
  readonly #now: () => number;
  /** Counter totals per route at the last sample. */
  readonly #last = new Map<string, Counts>();
  /** Route → window start → counts. */
  readonly #windows = new Map<string, Map<number, Counts>>();

  constructor(
    private readonly metrics: RouterMetrics,
    options: RouteActivityOptions = {},
  ) {
    this.#windowMs = options.windowMs ?? 60_000;
    this.#keep = options.keepWindows ?? 5;
    this.#now = options.now ?? Date.now;
  }

  /** The routes' lag and windows now, the current window first created (with zeros) if need be. */
  async sample(routes: Iterable<{ readonly name: string; readonly routeSetVersion: number }>): Promise<Record<string, RouteSnapshot>> {
    const { metrics } = this;
    const [recordsIn, recordsOut, filtered, deadLettered, lags] = await Promise.all([
      totals(metrics.recordsIn),
      totals(metrics.recordsOut),
      totals(metrics.filtered),
      totals(metrics.deadLettered),
      metrics.lag.get(),
    ]);
    const start = Math.floor(this.#now() / this.#windowMs) * this.#windowMs;
    const oldest = start - (this.#keep - 1) * this.#windowMs;
    const snapshot = new Map<string, RouteSnapshot>();
    for (const { name, routeSetVersion } of routes) {
      const now: Counts = { in: recordsIn.get(name) ?? 0, out: recordsOut.get(name) ?? 0, filtered: filtered.get(name) ?? 0, deadLettered: deadLettered.get(name) ?? 0 };
      const last = this.#last.get(name) ?? zero();
      this.#last.set(name, now);
      let windows = this.#windows.get(name);
      if (!windows) this.#windows.set(name, (windows = new Map()));
      const current = windows.get(start) ?? zero();
      windows.set(start, {
        in: current.in + Math.max(0, now.in - last.in),
        out: current.out + Math.max(0, now.out - last.out),
        filtered: current.filtered + Math.max(0, now.filtered - last.filtered),
        deadLettered: current.deadLettered + Math.max(0, now.deadLettered - last.deadLettered),
      });
      for (const windowStart of windows.keys()) if (windowStart < oldest) windows.delete(windowStart);
      const lag = lags.values.find((value) => value.labels['route'] === name)?.value ?? 0;
      snapshot.set(name, {
        routeSetVersion,
        lag: Math.max(0, Math.round(lag)),
        windows: [...windows].sort(([a], [b]) => a - b).map(([windowStart, counts]) => ({ windowStart, ...counts })),
      });
    }
    // A route no longer run here keeps its counter totals (a route run again counts on from them)
    // but not its windows: they are no longer this router's to report.
    for (const name of [...this.#windows.keys()]) if (!snapshot.has(name)) this.#windows.delete(name);
    return Object.fromEntries(snapshot);
  }
}

/** A counter's value per route, summed over its other labels (destinations). */
async function totals(counter: Counter<'route'> | Counter<'route' | 'destination'>): Promise<Totals> {
  const sums: Totals = new Map();
  for (const { labels, value } of (await counter.get()).values) {
    const route = labels['route'];
    if (typeof route === 'string') sums.set(route, (sums.get(route) ?? 0) + value);
  }
  return sums;
}
