// The router processes serving a route, as their heartbeats report them: what `routes describe`
// shows besides the registry's record.
import type { Registry } from '@flotilla/db';

export interface RouteInstance {
  /** The router process (its heartbeat client id) and the application it runs as. */
  readonly clientId: string;
  readonly application: string;
  /** The route-set version it runs. */
  readonly routeSetVersion: number;
  readonly lastHeartbeatAt: Date;
  /** Records behind the source's end offsets, over the partitions it holds. */
  readonly lag: number;
  /** Counts of the latest reported window. */
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly filtered: number;
  readonly deadLettered: number;
}

/**
 * Routers do not heartbeat their routes yet, so no instance is known: this answers an empty list
 * until router heartbeats are recorded (issue #23), and is where they will be read.
 */
export async function routeInstances(_registry: Registry, _route: string): Promise<RouteInstance[]> {
  return [];
}
