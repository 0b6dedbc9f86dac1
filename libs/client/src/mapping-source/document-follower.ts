// Follows one of management's versioned documents over server-sent events, as the mapping is
// followed but without its disk cache: the router follows the route set (/v1/routes/stream), the
// HTTP proxy the access set (/v1/access/stream). Each event is a whole document carrying its
// `version`; a newer one is handed on, an older or repeated one skipped. A lost stream is retried
// with backoff, resuming after the version held (Last-Event-ID); what is in force stays.
import { Backoff } from '@flotilla/retry';
import { openEventStream, type EventStream } from './event-stream-request';

export interface DocumentFollowerOptions {
  /** Management's base URL. */
  readonly url: string;
  /** The stream's path below it, e.g. `v1/routes/stream`. */
  readonly path: string;
  /** The SSE event that carries a document; others are skipped. */
  readonly event: string;
  /** Request headers, e.g. `authorization` for a stream that needs an identity. */
  readonly headers?: () => Readonly<Record<string, string>>;
  /** A newer document (parsed JSON with a numeric `version`). */
  readonly onDocument: (document: { readonly version: number }) => void;
  /** A lost stream, a stream back, an event that is not a document: logged, nothing else changes. */
  readonly onWarning: (message: string, details: Record<string, unknown>) => void;
  readonly connectTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

export class DocumentFollower {
  readonly #url: URL;
  readonly #backoff = new Backoff({ initialMs: 250, maxMs: 10_000, jitter: true });
  #stream: EventStream | undefined;
  #retry: NodeJS.Timeout | undefined;
  #version = 0;
  #stopped = false;
  #outage = false;
  #opened = false;

  constructor(private readonly options: DocumentFollowerOptions) {
    this.#url = new URL(options.path, options.url.endsWith('/') ? options.url : `${options.url}/`);
  }

  /** Whether the stream has been open once: from then on no event means nothing published yet. */
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
        ...(this.options.headers ? { headers: this.options.headers() } : {}),
      },
      {
        onOpen: () => {
          this.#opened = true;
          this.#backoff.reset();
          if (this.#outage) this.options.onWarning(`${this.options.event} stream is back`, { url: this.#url.href, version: this.#version });
          this.#outage = false;
        },
        onEvent: (event) => {
          if (event.type === this.options.event) this.#offer(event.data);
        },
        onClose: (reason) => {
          this.#stream = undefined;
          if (this.#stopped) return;
          if (!this.#outage) {
            this.options.onWarning(`${this.options.event} stream unavailable; keeping what is in force, reconnecting`, { url: this.#url.href, version: this.#version, reason: reason.message });
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
      this.options.onWarning(`${this.options.event} event is not JSON; ignored`, { reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    const version = typeof document === 'object' && document !== null ? (document as { version?: unknown }).version : undefined;
    if (typeof version !== 'number' || !Number.isSafeInteger(version)) {
      this.options.onWarning(`${this.options.event} event has no version; ignored`, {});
      return;
    }
    if (version <= this.#version) return;
    this.#version = version;
    this.options.onDocument(document as { version: number });
  }
}
