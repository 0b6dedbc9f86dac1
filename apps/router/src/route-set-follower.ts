// Follows management's route set stream (`GET /v1/routes/stream`, server-sent events, one whole
// route set per event, as the mapping is followed): each newer version is parsed and handed on.
// A lost stream is retried with backoff while the routes in force keep running; a route whose
// stored definition this router cannot parse is reported and left out, the others run.
import { openEventStream, type EventStream } from '@flotilla/client/internal';
import { UnavailableError } from '@flotilla/errors';
import { Backoff } from '@flotilla/retry';
import { compileRoute, parseRouteDefinition, type CompiledRoute } from '@flotilla/routes';

export interface RunnableRoute {
  readonly name: string;
  readonly state: 'active' | 'paused';
  readonly route: CompiledRoute;
  /** The stored definition's JSON: a route is restarted only when this changes. */
  readonly fingerprint: string;
}

export interface RouteSet {
  readonly version: number;
  readonly routes: readonly RunnableRoute[];
}

export interface RouteSetFollowerOptions {
  /** Management's base URL. */
  readonly url: string;
  readonly onRouteSet: (set: RouteSet) => void;
  /** A lost stream, a route left out: logged, nothing else changes. */
  readonly onWarning: (message: string, details: Record<string, unknown>) => void;
  readonly connectTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

export const ROUTES_STREAM_PATH = 'v1/routes/stream';
const ROUTES_EVENT = 'routes';

export class RouteSetFollower {
  readonly #url: URL;
  readonly #backoff = new Backoff({ initialMs: 250, maxMs: 10_000, jitter: true });
  #stream: EventStream | undefined;
  #retry: NodeJS.Timeout | undefined;
  #version = 0;
  #stopped = false;
  #outage = false;
  #opened = false;

  constructor(private readonly options: RouteSetFollowerOptions) {
    this.#url = new URL(ROUTES_STREAM_PATH, options.url.endsWith('/') ? options.url : `${options.url}/`);
  }

  /** Whether the stream has been open once: from then on no event means no routes published. */
  get opened(): boolean {
    return this.#opened;
  }

  /** The version last handed on; 0 before the first. */
  get version(): number {
    return this.#version;
  }

  start(): void {
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#stream?.close();
    this.#stream = undefined;
  }

  #connect(): void {
    if (this.#stopped) return;
    this.#stream = openEventStream(
      {
        url: this.#url,
        lastEventId: this.#version === 0 ? undefined : String(this.#version),
        connectTimeoutMs: this.options.connectTimeoutMs ?? 5_000,
        idleTimeoutMs: this.options.idleTimeoutMs ?? 45_000,
      },
      {
        onOpen: () => {
          this.#opened = true;
          this.#backoff.reset();
          if (this.#outage) this.options.onWarning('route set stream is back', { url: this.#url.href, version: this.#version });
          this.#outage = false;
        },
        onEvent: (event) => {
          if (event.type === ROUTES_EVENT) this.#offer(event.data);
        },
        onClose: (reason) => {
          this.#stream = undefined;
          if (this.#stopped) return;
          if (!this.#outage) {
            this.options.onWarning('route set stream unavailable; keeping the routes in force, reconnecting', { url: this.#url.href, version: this.#version, reason: reason.message });
          }
          this.#outage = true;
          this.#retry = setTimeout(() => this.#connect(), this.#backoff.next());
        },
      },
    );
  }

  #offer(data: string): void {
    let document: unknown;
    try {
      document = JSON.parse(data);
    } catch (error) {
      this.options.onWarning('route set event is not JSON; ignored', { reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    const set = toRouteSet(document, (name, reason) => this.options.onWarning('route left out: its definition does not parse here', { route: name, reason }));
    if (!set) {
      this.options.onWarning('route set event has no version and routes; ignored', {});
      return;
    }
    if (set.version <= this.#version) return;
    this.#version = set.version;
    this.options.onRouteSet(set);
  }
}

/** The runnable routes of a route set document; undefined when it is not one. */
export function toRouteSet(document: unknown, leftOut: (name: string, reason: string) => void): RouteSet | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const { version, routes } = document as { version?: unknown; routes?: unknown };
  if (typeof version !== 'number' || !Array.isArray(routes)) return undefined;
  const runnable: RunnableRoute[] = [];
  for (const stored of routes as { name?: unknown; state?: unknown; definition?: unknown }[]) {
    const name = typeof stored?.name === 'string' ? stored.name : '(unnamed)';
    try {
      if (stored.state !== 'active' && stored.state !== 'paused') throw new UnavailableError(`unknown state ${JSON.stringify(stored.state)}`);
      const route = compileRoute(parseRouteDefinition(stored.definition));
      runnable.push({ name: route.definition.name, state: stored.state, route, fingerprint: JSON.stringify(stored.definition) });
    } catch (error) {
      leftOut(name, error instanceof Error ? error.message : String(error));
    }
  }
  return { version, routes: runnable };
}
