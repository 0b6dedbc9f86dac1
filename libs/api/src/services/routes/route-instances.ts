// The router processes serving a route, as their heartbeats report them: what `routes describe`
// shows besides the registry's record.
import { compareStrings } from '@flotilla/errors';
import type { Registry, RouteWindowCounts } from '@flotilla/db';

/**
 * A router not heard from for this long no longer serves the route: three missed beats at the
 * router's 5 s interval, so one slow beat does not hide it and a killed one drops out quickly.
 */
export const ROUTE_INSTANCE_ACTIVE_MS = 15_000;

export interface RouteWindow extends RouteWindowCounts {
  /** The window's start, an ISO minute (`2026-12-07T21:56Z`). */
  readonly start: string;
}

export interface RouteInstance {
  /** The router process (its heartbeat client id), where it runs and the application it runs as. */
  readonly clientId: string;
  readonly host: string | null;
  readonly application: string;
  /** The route-set version it runs. */
  readonly routeSetVersion: number;
  readonly lastHeartbeatAt: Date;
  /** Records behind the source's end offsets, over the partitions it holds. */
  readonly lag: number;
  /** Counts of the latest reported window (the current minute, still filling). */
  readonly window: string | null;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly filtered: number;
  readonly deadLettered: number;
  /** Every window it reported, oldest first. */
  readonly windows: RouteWindow[];
}

/** The routers that reported running `route` within ROUTE_INSTANCE_ACTIVE_MS, by client id. */
export async function routeInstances(registry: Registry, route: string): Promise<RouteInstance[]> {
  const sessions = await registry.clients.list({ kind: 'router', activeWithinMs: ROUTE_INSTANCE_ACTIVE_MS });
  const instances: RouteInstance[] = [];
  for (const session of sessions) {
    const report = session.routes === null ? undefined : new Map(Object.entries(session.routes)).get(route);
    if (!report) continue;
    // Window keys have one spelling, so string order is time order.
    const windows = Object.entries(report.windows)
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([start, counts]) => ({ start, ...counts }));
    const latest = windows.at(-1);
    instances.push({
      clientId: session.clientId,
      host: session.host,
      application: session.application,
      routeSetVersion: report.routeSetVersion,
      lastHeartbeatAt: session.lastHeartbeatAt,
      lag: report.lag,
      window: latest?.start ?? null,
      recordsIn: latest?.in ?? 0,
      recordsOut: latest?.out ?? 0,
      filtered: latest?.filtered ?? 0,
      deadLettered: latest?.deadLettered ?? 0,
      windows,
    });
  }
  return instances.sort((a, b) => compareStrings(a.clientId, b.clientId));
}
