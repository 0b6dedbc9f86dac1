// The router process's routes: it follows the route set and keeps one RouteWorker per active
// route, started, stopped and restarted as versions come. Changes apply one version at a time, in
// order. A route that cannot start (its source topic not created yet, a cluster away) is retried
// with backoff while the others run.
import { Backoff } from '@flotilla/retry';
import type { RouteSet, RunnableRoute } from './route-set-follower';
import { RouteWorker, type RouteWorkerOptions } from './route-worker';

/** What every route worker of this router shares: the worker's options but its route. */
export type RouterOptions = Omit<RouteWorkerOptions, 'route'>;

interface Running {
  readonly route: RunnableRoute;
  readonly worker: RouteWorker;
  started: Promise<void>;
  retry: NodeJS.Timeout | undefined;
  stopped: boolean;
}

export class Router {
  readonly #running = new Map<string, Running>();
  #applying: Promise<void> = Promise.resolve();
  #version = 0;
  #closed = false;

  constructor(private readonly options: RouterOptions) {}

  /** The route set version in force and the routes running, for /readyz and heartbeats. */
  status(): { version: number; routes: string[] } {
    return { version: this.#version, routes: [...this.#running.keys()].sort() };
  }

  /** The routes this router runs (started or starting), for heartbeats. */
  running(): RunnableRoute[] {
    return [...this.#running.values()].map(({ route }) => route);
  }

  /** Applies a new route set once the previous one is applied. */
  apply(set: RouteSet): Promise<void> {
    this.#applying = this.#applying.then(() => this.#apply(set));
    return this.#applying;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#applying;
    await Promise.all([...this.#running.keys()].map((name) => this.#stop(name)));
  }

  async #apply(set: RouteSet): Promise<void> {
    if (this.#closed) return;
    const wanted = new Map(set.routes.filter((route) => route.state === 'active').map((route) => [route.name, route]));
    for (const [name, running] of [...this.#running]) {
      const next = wanted.get(name);
      if (next?.fingerprint === running.route.fingerprint) continue;
      await this.#stop(name);
      this.options.logger.info({ route: name, version: set.version, reason: next ? 'definition changed' : 'removed or paused' }, 'route stopped');
    }
    for (const [name, route] of wanted) if (!this.#running.has(name)) this.#start(route, new Backoff({ initialMs: 1_000, maxMs: 30_000, jitter: true }));
    this.#version = set.version;
  }

  #start(route: RunnableRoute, backoff: Backoff): void {
    const { logger } = this.options;
    const worker = new RouteWorker({ ...this.options, route: route.route });
    const running: Running = { route, worker, started: Promise.resolve(), retry: undefined, stopped: false };
    running.started = worker.start().then(
      () => logger.info({ route: route.name, source: route.route.definition.source, destinations: route.route.definition.destinations.map((d) => d.topic) }, 'route running'),
      async (error: unknown) => {
        await worker.stop().catch(() => undefined);
        if (running.stopped || this.#closed) return;
        const delay = backoff.next();
        logger.warn({ route: route.name, reason: error instanceof Error ? error.message : String(error), retryInMs: delay }, 'route could not start; retrying');
        running.retry = setTimeout(() => {
          if (this.#running.get(route.name) !== running || running.stopped) return;
          this.#running.delete(route.name);
          this.#start(route, backoff);
        }, delay);
      },
    );
    this.#running.set(route.name, running);
  }

  async #stop(name: string): Promise<void> {
    const running = this.#running.get(name);
    if (!running) return;
    this.#running.delete(name);
    running.stopped = true;
    clearTimeout(running.retry);
    await running.started.catch(() => undefined);
    await running.worker.stop().catch(() => undefined);
  }
}
