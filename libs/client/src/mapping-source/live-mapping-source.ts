// Follows management's mapping stream (tools/mapping-server/README.md has the protocol): the
// current version on connect, each new one within a second of its publication. The last good
// version is kept on disk so a client starts, and keeps working, while management is down.
import { ConflictError, FlotillaError, UnavailableError } from '@flotilla/errors';
import type { CompiledMapping } from '@flotilla/mapping';
import { Backoff } from '@flotilla/retry';
import { emitProcessWarning } from './emit-process-warning';
import { openEventStream, type EventStream } from './event-stream-request';
import { readMappingCache, writeMappingCache } from './mapping-cache';
import type { MappingListener, MappingSource, WarningSink } from './mapping-source';
import type { SseEvent } from './sse-parser';
import { VersionGate } from './version-gate';

export interface LiveMappingSourceOptions {
  /** Management's base URL, e.g. `http://127.0.0.1:7480`; the stream is `<url>/v1/mapping/stream`. */
  readonly url: string;
  /** Where the last good version is kept; without it, start-up needs management to answer. */
  readonly cacheFile?: string;
  /** How long start() waits for a first version, from management or the cache. */
  readonly startTimeoutMs?: number;
  /** First reconnection delay; doubles per failed attempt up to `maxReconnectMs`. */
  readonly reconnectMs?: number;
  readonly maxReconnectMs?: number;
  /** An attempt that gets no response headers within this is abandoned (and the cache used). */
  readonly connectTimeoutMs?: number;
  /** An open stream silent for this long is presumed dead; 3 missed 15 s heartbeats by default. */
  readonly idleTimeoutMs?: number;
  /** Lost connections and failed cache writes; defaults to process warnings. */
  readonly onWarning?: WarningSink;
}

export const MAPPING_STREAM_PATH = 'v1/mapping/stream';
export const MAPPING_EVENT = 'mapping';

export function liveMappingSource(options: LiveMappingSourceOptions): MappingSource {
  return new LiveMappingSource(options);
}

interface PendingStart {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

class LiveMappingSource implements MappingSource {
  readonly #streamUrl: URL;
  readonly #cacheFile: string | undefined;
  readonly #startTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #warn: WarningSink;
  readonly #backoff: Backoff;

  #phase: 'new' | 'running' | 'stopped' = 'new';
  #gate: VersionGate | undefined;
  #stream: EventStream | undefined;
  #pendingStart: PendingStart | undefined;
  #startTimer: NodeJS.Timeout | undefined;
  #cacheTimer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #lastFailure: Error | undefined;
  #everOpened = false;
  /** Reported once per outage, not once per attempt. */
  #outageReported = false;
  #cacheRead = false;
  #cacheProblem: string | undefined;
  /** Newest version text not yet on disk; writes are chained and skip superseded versions. */
  #unsaved: string | undefined;
  #writes: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;

  constructor(options: LiveMappingSourceOptions) {
    const base = new URL(options.url);
    // Resolve against a directory so a base with a path prefix (`https://host/flotilla`) keeps it.
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.#streamUrl = new URL(MAPPING_STREAM_PATH, base);
    this.#cacheFile = options.cacheFile;
    this.#startTimeoutMs = options.startTimeoutMs ?? 10_000;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
    this.#warn = options.onWarning ?? emitProcessWarning;
    const reconnectMs = options.reconnectMs ?? 1_000;
    // Jittered: when management restarts, thousands of followers must not reconnect in the same
    // millisecond.
    this.#backoff = new Backoff({ initialMs: reconnectMs, maxMs: options.maxReconnectMs ?? Math.max(10_000, reconnectMs), jitter: true });
  }

  start(listener: MappingListener): Promise<void> {
    if (this.#phase !== 'new') {
      return Promise.reject(new ConflictError('mapping source', this.#streamUrl.href, 'was already started'));
    }
    this.#phase = 'running';
    this.#gate = new VersionGate(listener, this.#warn);
    return new Promise<void>((resolve, reject) => {
      this.#pendingStart = { resolve, reject };
      // Deliberately not unref'd: while start() is pending the caller is awaiting it, and the
      // process must not exit with that promise unsettled.
      this.#startTimer = setTimeout(() => this.#giveUp(), this.#startTimeoutMs);
      // Management may accept connections yet have nothing to send (or hang): the cache is used
      // after a while even when no attempt has failed outright.
      this.#cacheTimer = setTimeout(() => this.#fallBackToCache(), Math.min(this.#connectTimeoutMs, this.#startTimeoutMs / 2));
      this.#cacheTimer.unref();
      this.#connect();
    });
  }

  current(): CompiledMapping | undefined {
    return this.#gate?.current();
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#shutDown();
    return this.#stopping;
  }

  async #shutDown(): Promise<void> {
    this.#halt();
    this.#settleStart(new UnavailableError(`mapping source for ${this.#streamUrl.href} was stopped before a first mapping arrived`));
    // The last version received reaches the disk before stop() resolves.
    await this.#writes;
  }

  /** Ends all activity at once: no socket, no timer, no callback after this. */
  #halt(): void {
    this.#phase = 'stopped';
    clearTimeout(this.#startTimer);
    clearTimeout(this.#cacheTimer);
    clearTimeout(this.#retryTimer);
    this.#stream?.close();
    this.#stream = undefined;
  }

  #connect(): void {
    if (this.#phase !== 'running') return;
    const held = this.#gate?.current();
    this.#stream = openEventStream(
      {
        url: this.#streamUrl,
        lastEventId: held === undefined ? undefined : String(held.version),
        connectTimeoutMs: this.#connectTimeoutMs,
        idleTimeoutMs: this.#idleTimeoutMs,
      },
      {
        onOpen: () => {
          this.#backoff.reset();
          this.#everOpened = true;
          this.#outageReported = false;
        },
        onEvent: (event) => this.#onEvent(event),
        onClose: (reason) => this.#onClose(reason),
      },
    );
  }

  #onEvent(event: SseEvent): void {
    // Other event types are for later protocol versions; an old client skips them.
    if (this.#phase !== 'running' || event.type !== MAPPING_EVENT) return;
    if (this.#gate?.offer(event.data) !== 'applied') return;
    this.#persist(event.data);
    this.#settleStart(undefined);
  }

  #onClose(reason: Error): void {
    this.#stream = undefined;
    if (this.#phase !== 'running') return;
    this.#lastFailure = reason;
    const delay = this.#backoff.next();
    if (!this.#outageReported) {
      this.#outageReported = true;
      const held = this.#gate?.current();
      const keeping = held === undefined ? 'no mapping in force yet' : `keeping version ${held.version}`;
      this.#warn(
        new UnavailableError(`mapping stream ${this.#streamUrl.href} unavailable (${reason.message}); ${keeping}, reconnecting with backoff`, {
          cause: reason,
        }),
      );
    }
    if (this.#gate?.current() === undefined) this.#fallBackToCache();
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
    // The start timer keeps the process up during start(); afterwards, retrying alone should not.
    this.#retryTimer.unref();
  }

  /** Uses the disk copy when management cannot provide a first version. Read at most once. */
  #fallBackToCache(): void {
    if (this.#cacheRead || this.#cacheFile === undefined) return;
    this.#cacheRead = true;
    const file = this.#cacheFile;
    void readMappingCache(file)
      .then((cached) => {
        if (this.#phase !== 'running') return;
        if (cached.kind === 'missing') {
          this.#cacheProblem = `cache file "${file}" does not exist`;
        } else if (cached.kind === 'unusable') {
          this.#cacheProblem = cached.error.message;
          this.#gate?.reject(cached.error, cached.raw);
        } else if (this.#gate?.current() === undefined) {
          // Only when still empty: a version from management that raced the read is the truth.
          this.#gate?.adopt(cached.mapping);
          this.#settleStart(undefined);
        }
      })
      // readMappingCache reports failures as results; this only guards against our own bugs.
      .catch((error: unknown) => this.#warn(FlotillaError.from(error)));
  }

  #persist(raw: string): void {
    const file = this.#cacheFile;
    if (file === undefined) return;
    this.#unsaved = raw;
    this.#writes = this.#writes.then(async () => {
      const text = this.#unsaved;
      if (text === undefined) return;
      this.#unsaved = undefined;
      try {
        await writeMappingCache(file, text);
      } catch (error) {
        this.#warn(new UnavailableError(`could not write mapping cache file "${file}": ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
      }
    });
  }

  #giveUp(): void {
    const failure =
      this.#lastFailure !== undefined
        ? `last error: ${this.#lastFailure.message}`
        : this.#everOpened
          ? 'connected, but no version has been published'
          : 'no response yet';
    const cache = this.#cacheFile === undefined ? 'no cacheFile configured' : (this.#cacheProblem ?? `cache file "${this.#cacheFile}" was not read in time`);
    const error = new UnavailableError(
      `no mapping from ${this.#streamUrl.href} within ${this.#startTimeoutMs} ms (${failure}) and none cached (${cache})`,
      this.#lastFailure === undefined ? {} : { cause: this.#lastFailure },
    );
    // A failed start leaves nothing running; stop() afterwards is harmless.
    this.#halt();
    this.#settleStart(error);
  }

  #settleStart(error: Error | undefined): void {
    const pending = this.#pendingStart;
    if (pending === undefined) return;
    this.#pendingStart = undefined;
    clearTimeout(this.#startTimer);
    clearTimeout(this.#cacheTimer);
    if (error === undefined) pending.resolve();
    else pending.reject(error);
  }
}
