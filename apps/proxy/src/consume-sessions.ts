// The HTTP consumer instances the proxy keeps, one per (application, group, topic, consumer id):
// made on a client's first fetch or stream, ended once idle (no fetch and no open stream for the
// idle time), when the proxy stops, or at most `max` at once so clients cannot grow the proxy
// without bound.
import { HttpError } from './http-error';
import type { SessionKey } from './consume-session';

/** What the registry needs of a session: a seam the unit tests fill with a fake. */
export interface ManagedSession {
  start(): Promise<void>;
  isIdle(now: number, idleMs: number): boolean;
  close(): Promise<void>;
}

export interface ConsumeSessionsOptions<S extends ManagedSession> {
  readonly create: (key: SessionKey) => S;
  /** A session neither fetched nor streamed from for this long is ended. */
  readonly idleMs: number;
  /** Sessions at once; a new one past this is a 503. */
  readonly max: number;
  readonly now?: () => number;
  /** Told when a session ends, and why. */
  readonly onEnded?: (key: SessionKey, reason: 'idle' | 'ended' | 'failed' | 'stopping') => void;
}

interface Entry<S> {
  readonly key: SessionKey;
  readonly session: S;
  readonly started: Promise<void>;
  ready: boolean;
}

const idOf = (key: SessionKey): string => JSON.stringify([key.application, key.group, key.topic, key.consumer]);

export class ConsumeSessions<S extends ManagedSession> {
  readonly #entries = new Map<string, Entry<S>>();
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ConsumeSessionsOptions<S>) {
    this.#now = options.now ?? Date.now;
  }

  /** Sweeps for idle sessions every so often (a fraction of the idle time, at most a second). */
  startSweeping(): void {
    this.#timer ??= setInterval(() => void this.sweep(), Math.max(50, Math.min(1_000, this.options.idleMs / 4)));
    this.#timer.unref();
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The session of `key`, made and started when there is none; rejects as its start does. */
  async acquire(key: SessionKey): Promise<S> {
    const id = idOf(key);
    let entry = this.#entries.get(id);
    if (!entry) {
      if (this.#entries.size >= this.options.max) {
        throw new HttpError(503, 'UNAVAILABLE', `the proxy holds ${this.options.max} consumers, its most; retry once one has ended`, { retryAfterSeconds: 1 });
      }
      const session = this.options.create(key);
      const made: Entry<S> = { key, session, started: session.start(), ready: false };
      entry = made;
      this.#entries.set(id, made);
      made.started.then(
        () => {
          made.ready = true;
        },
        () => void this.#end(id, made, 'failed'),
      );
    }
    await entry.started;
    return entry.session;
  }

  /** The started session of `key`, if there is one. */
  find(key: SessionKey): S | undefined {
    const entry = this.#entries.get(idOf(key));
    return entry?.ready ? entry.session : undefined;
  }

  /** Ends the session of `key` now (a stream dropped with records unacknowledged). */
  async end(key: SessionKey): Promise<void> {
    const id = idOf(key);
    const entry = this.#entries.get(id);
    if (entry) await this.#end(id, entry, 'ended');
  }

  /** Ends the started sessions that are idle. */
  async sweep(): Promise<void> {
    const now = this.#now();
    const idle = [...this.#entries].filter(([, entry]) => entry.ready && entry.session.isIdle(now, this.options.idleMs));
    await Promise.all(idle.map(([id, entry]) => this.#end(id, entry, 'idle')));
  }

  /** Ends every session (the proxy is stopping). */
  async closeAll(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.all([...this.#entries].map(([id, entry]) => this.#end(id, entry, 'stopping')));
  }

  async #end(id: string, entry: Entry<S>, reason: 'idle' | 'ended' | 'failed' | 'stopping'): Promise<void> {
    if (this.#entries.get(id) !== entry) return;
    this.#entries.delete(id);
    this.options.onEnded?.(entry.key, reason);
    await entry.session.close().catch(() => undefined);
  }
}
