// Where records go: the current mapping names each topic's sink cluster(s), and the router keeps
// one lane per cluster in use, moving waiting records when a new mapping version sends their
// topic elsewhere. It also holds the ordering rule of a move: a topic's records are never in
// flight on two clusters at once, so a lane starts a topic only when no other cluster still has
// records of it in flight (the "flush the old cluster before the first send to the new one" of a
// keyed handoff).
import { ValidationError } from '@flotilla/errors';
import type { ClusterRef, CompiledMapping } from '@flotilla/mapping';
import type { ClusterLane } from './cluster-lane';
import type { PendingRecord } from './pending-record';

export interface RouterHooks {
  /** A lane for `cluster`, not yet connected. */
  openLane(cluster: ClusterRef): ClusterLane;
  /** A record the mapping no longer places; the router has taken it out of every lane. */
  unroutable(record: PendingRecord, error: ValidationError): void;
}

export class Router {
  private readonly lanes = new Map<string, ClusterLane>();
  /** Records in flight per topic and cluster. */
  private readonly inFlightByTopic = new Map<string, Map<string, number>>();

  constructor(private readonly hooks: RouterHooks) {}

  /** The open lane of `cluster`, made (and connecting) if there is none. */
  laneFor(cluster: ClusterRef): ClusterLane {
    let lane = this.lanes.get(cluster.name);
    if (lane && !lane.closed) return lane;
    lane = this.hooks.openLane(cluster);
    this.lanes.set(cluster.name, lane);
    void lane.connect();
    return lane;
  }

  /** Every lane in use. */
  all(): IterableIterator<ClusterLane> {
    return this.lanes.values();
  }

  /** Takes every lane out of use (they are the caller's to close). */
  removeAll(): ClusterLane[] {
    const lanes = [...this.lanes.values()];
    this.lanes.clear();
    return lanes;
  }

  /**
   * Puts a waiting record on the lane of its topic's current target: `current` when the mapping
   * still sends the topic there, else the first target (or fails it when there is none).
   */
  route(mapping: CompiledMapping, record: PendingRecord, current: ClusterLane | undefined): void {
    const targets = mapping.resolve('producer', record.topic);
    if (!targets || targets.length === 0) {
      this.hooks.unroutable(record, new ValidationError(`topic "${record.topic}" is no longer in the mapping (version ${mapping.version})`, { field: 'topic' }));
      return;
    }
    // Only a lane still in use: one replaced (its bootstrap changed) closes once its flight settles.
    const stay = current && !current.closed && this.lanes.get(current.cluster.name) === current && targets.some((t) => t.name === current.cluster.name);
    (stay ? current : this.laneFor(targets[0]!)).enqueue(record);
  }

  /**
   * A new mapping version: records waiting for a cluster that no longer gets their topic (or
   * whose bootstrap changed) move to the new target; a lane no longer in use closes once its
   * in-flight records settled.
   */
  onMapping(mapping: CompiledMapping): void {
    for (const lane of [...this.lanes.values()]) {
      const name = lane.cluster.name;
      const bootstrapChanged = mapping.clusters.has(name) && mapping.clusters.get(name)!.bootstrap.join(',') !== lane.cluster.bootstrap.join(',');
      if (bootstrapChanged) this.lanes.delete(name);
      for (const topic of [...lane.queues.keys()]) {
        const stays = !bootstrapChanged && (mapping.resolve('producer', topic) ?? []).some((t) => t.name === name);
        if (stays) continue;
        for (const record of lane.take(topic)) this.route(mapping, record, undefined);
      }
      if (bootstrapChanged || (!mapping.clusters.has(name) && lane.waiting === 0)) {
        this.lanes.delete(name);
        void lane.idle().then(() => {
          if (!lane.closed) lane.close();
        });
      }
    }
  }

  /** The oldest record waiting (not in flight) on any lane, taken out of its queue. */
  takeOldest(): { record: PendingRecord; cluster: string } | undefined {
    let oldest: { lane: ClusterLane; queue: PendingRecord[] } | undefined;
    for (const lane of this.lanes.values()) {
      for (const queue of lane.queues.values()) {
        if (queue.length > 0 && (!oldest || queue[0]!.seq < oldest.queue[0]!.seq)) oldest = { lane, queue };
      }
    }
    const record = oldest && oldest.lane.shift(oldest.queue);
    return record && { record, cluster: oldest!.lane.cluster.name };
  }

  /** Counts `delta` records of `topic` into (positive) or out of (negative) flight on `cluster`. */
  countInFlight(topic: string, cluster: string, delta: number): void {
    let byCluster = this.inFlightByTopic.get(topic);
    if (!byCluster) this.inFlightByTopic.set(topic, (byCluster = new Map()));
    const next = (byCluster.get(cluster) ?? 0) + delta;
    if (next === 0) byCluster.delete(cluster);
    else byCluster.set(cluster, next);
  }

  /** Whether another cluster than `cluster` has records of `topic` in flight. */
  blocked(topic: string, cluster: string): boolean {
    const byCluster = this.inFlightByTopic.get(topic);
    if (!byCluster) return false;
    for (const [other, count] of byCluster) if (other !== cluster && count > 0) return true;
    return false;
  }

  /** Whether any record is in flight to a cluster that `mapping` no longer sends its topic to. */
  inFlightOffTarget(mapping: CompiledMapping): boolean {
    for (const [topic, byCluster] of this.inFlightByTopic) {
      const targets = mapping.resolve('producer', topic) ?? [];
      for (const [cluster, count] of byCluster) if (count > 0 && !targets.some((target) => target.name === cluster)) return true;
    }
    return false;
  }

  /** After records of a topic left flight on `except`: lanes with waiting records look again. */
  wakeOthers(except: ClusterLane): void {
    for (const lane of this.lanes.values()) if (lane !== except && lane.waiting > 0) lane.schedulePump();
  }
}
