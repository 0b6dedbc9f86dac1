// The router's Prometheus metrics, per route: records in, out (per destination), filtered and
// dead-lettered, the lag of its consumer group, and the end-to-end latency from a record's
// timestamp at the source to its acknowledgement at the destination.
import { Counter, Gauge, Histogram, type Registry } from '@flotilla/observability';

export class RouterMetrics {
  readonly recordsIn: Counter<'route'>;
  readonly recordsOut: Counter<'route' | 'destination'>;
  readonly filtered: Counter<'route'>;
  readonly deadLettered: Counter<'route'>;
  readonly lag: Gauge<'route'>;
  readonly latency: Histogram<'route'>;
  /** Lag per route and source partition (cluster/topic/partition), summed into `lag`. */
  readonly #lags = new Map<string, Map<string, number>>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.recordsIn = new Counter({ name: 'flotilla_router_records_in_total', help: 'Records read from a route\'s source', labelNames: ['route'], registers });
    this.recordsOut = new Counter({ name: 'flotilla_router_records_out_total', help: 'Records acknowledged by a route\'s destination', labelNames: ['route', 'destination'], registers });
    this.filtered = new Counter({ name: 'flotilla_router_records_filtered_total', help: 'Records a route\'s filter dropped', labelNames: ['route'], registers });
    this.deadLettered = new Counter({ name: 'flotilla_router_records_dead_lettered_total', help: 'Records written to a route\'s dead-letter topic', labelNames: ['route'], registers });
    this.lag = new Gauge({ name: 'flotilla_router_lag_records', help: 'Records of a route\'s source not yet read by this router, at its last batch', labelNames: ['route'], registers });
    this.latency = new Histogram({
      name: 'flotilla_router_end_to_end_latency_seconds',
      help: 'From a record\'s timestamp at the source to its acknowledgement at the destination',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }

  setLag(route: string, partition: string, lag: number): void {
    let lags = this.#lags.get(route);
    if (!lags) this.#lags.set(route, (lags = new Map()));
    lags.set(partition, lag);
    this.#publishLag(route, lags);
  }

  /**
   * The partitions of a route's source that `cluster`'s group now assigns to this router: the lag
   * of any other partition there is another router's to report, so it leaves this one's sum.
   */
  keepLags(route: string, cluster: string, partitions: readonly number[]): void {
    const lags = this.#lags.get(route);
    if (!lags) return;
    const kept = new Set(partitions.map((partition) => `${cluster}/${partition}`));
    for (const key of [...lags.keys()]) if (key.startsWith(`${cluster}/`) && !kept.has(key)) lags.delete(key);
    this.#publishLag(route, lags);
  }

  /** A route stopped here: its lag is no longer this router's to report. */
  forget(route: string): void {
    this.#lags.delete(route);
    this.lag.remove({ route });
  }

  #publishLag(route: string, lags: ReadonlyMap<string, number>): void {
    let sum = 0;
    for (const value of lags.values()) sum += value;
    this.lag.set({ route }, sum);
  }
}
