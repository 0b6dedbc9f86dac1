// Sends a smart client's heartbeat to the management service every few seconds: who it is, the
// mapping version it runs, what it produces and consumes, per-topic counts per minute. A topic
// move waits on these to know every producer switched. Failures never reach the application:
// management being down must not disturb the data path, so a failed beat is reported and retried.
import type { WindowCount } from './windowed-counts';

export interface HeartbeatSnapshot {
  readonly mappingVersion: number | undefined;
  readonly produces?: readonly string[];
  readonly consumes?: readonly string[];
  readonly groupId?: string;
  readonly produced?: readonly WindowCount[];
  readonly consumed?: readonly WindowCount[];
  /** Routers: per route they run, its route-set version, lag and counts per window. */
  readonly routes?: Readonly<Record<string, RouteSnapshot>>;
  /** Proxies: per application, what the proxy took from it per window. */
  readonly applications?: readonly ApplicationWindowCount[];
}

/** What an HTTP proxy took from one application in one window. */
export interface ApplicationWindowCount {
  readonly application: string;
  /** Window start, ms since epoch, aligned to the window size. */
  readonly windowStart: number;
  readonly records: number;
  readonly bytes: number;
  /** What the proxy's HTTP consumers took for the application, when they took any. */
  readonly consumedRecords?: number;
  readonly consumedBytes?: number;
}

/** One route of a router, as a heartbeat reports it. */
export interface RouteSnapshot {
  readonly routeSetVersion: number;
  readonly lag: number;
  readonly windows: readonly RouteWindowCount[];
}

export interface RouteWindowCount {
  /** Window start, ms since epoch, aligned to the window size. */
  readonly windowStart: number;
  readonly in: number;
  readonly out: number;
  readonly filtered: number;
  readonly deadLettered: number;
}

export interface HeartbeatReporterOptions {
  /** Management base URL; beats go to `<url>/trpc/clients.heartbeat`. */
  readonly url: string;
  /** The application's API token (no management role needed). */
  readonly token: string;
  readonly clientId: string;
  readonly kind: 'producer' | 'consumer' | 'client' | 'router' | 'proxy';
  readonly host?: string;
  /** What to report; called once per beat. */
  readonly snapshot: () => HeartbeatSnapshot | Promise<HeartbeatSnapshot>;
  /** 5 s by default: a topic move learns of a switch within about this long. */
  readonly intervalMs?: number;
  readonly onError?: (error: Error) => void;
  /** Told after each beat management accepted (a reporter that logged failures can say they ended). */
  readonly onAnswered?: () => void;
}

export interface HeartbeatReporter {
  /** Sends one beat now (after a mapping change, say) and resolves when it was answered. */
  beat(): Promise<void>;
  stop(): void;
}

/** `2026-11-22T06:00Z`: the window key management stores. */
export function windowKey(windowStart: number): string {
  return `${new Date(windowStart).toISOString().slice(0, 16)}Z`;
}

function byRoute(routes: Readonly<Record<string, RouteSnapshot>>) {
  return Object.fromEntries(
    Object.entries(routes).map(([route, { routeSetVersion, lag, windows }]) => [
      route,
      { routeSetVersion, lag, windows: Object.fromEntries(windows.map(({ windowStart, ...counts }) => [windowKey(windowStart), counts])) },
    ]),
  );
}

type ApplicationCounts = Omit<ApplicationWindowCount, 'application' | 'windowStart'>;

function byApplication(counts: readonly ApplicationWindowCount[]): Record<string, Record<string, ApplicationCounts>> {
  const result: Record<string, Record<string, ApplicationCounts>> = {};
  for (const { application, windowStart, ...window } of counts) (result[application] ??= {})[windowKey(windowStart)] = window;
  return result;
}

function byTopic(counts: readonly WindowCount[] | undefined): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const { topic, windowStart, count } of counts ?? []) {
    const windows = (result[topic] ??= {});
    windows[windowKey(windowStart)] = count;
  }
  return result;
}

export function startHeartbeats(options: HeartbeatReporterOptions): HeartbeatReporter {
  const endpoint = `${options.url.replace(/\/+$/, '')}/trpc/clients.heartbeat`;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const beat = async (): Promise<void> => {
    const snapshot = await options.snapshot();
    const body = {
      clientId: options.clientId,
      kind: options.kind,
      ...(options.host === undefined ? {} : { host: options.host }),
      mappingVersion: snapshot.mappingVersion ?? null,
      produces: [...(snapshot.produces ?? [])],
      consumes: [...(snapshot.consumes ?? [])],
      ...(snapshot.groupId === undefined ? {} : { groupId: snapshot.groupId }),
      produced: byTopic(snapshot.produced),
      consumed: byTopic(snapshot.consumed),
      ...(snapshot.routes === undefined ? {} : { routes: byRoute(snapshot.routes) }),
      ...(snapshot.applications === undefined ? {} : { applications: byApplication(snapshot.applications) }),
    };
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const message = /"message":"((?:[^"\\]|\\.)*)"/.exec(text)?.[1] ?? text.slice(0, 200);
      throw new Error(`heartbeat to ${options.url} refused (${response.status}): ${message}`);
    }
  };

  const loop = (): void => {
    if (stopped) return;
    beat()
      .then(() => options.onAnswered?.())
      .catch((error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.intervalMs ?? 5_000);
        timer?.unref();
      });
  };
  loop();

  return {
    beat,
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
