// One HTTP connection to a text/event-stream endpoint, with node:http(s): events out as they
// arrive, and exactly one onClose when the connection ends for any reason other than close().
// Reconnecting is the caller's business; this only reports.
import { get as httpGet, type ClientRequest, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { SseParser, type SseEvent } from './sse-parser';

export interface EventStreamOptions {
  readonly url: URL;
  /** Sent as Last-Event-ID: the server then sends only what is newer. */
  readonly lastEventId: string | undefined;
  /** From request to response headers: covers a connect that hangs (a black-holed address). */
  readonly connectTimeoutMs: number;
  /** Longest silence on an open stream; the server's heartbeats keep a healthy stream below it. */
  readonly idleTimeoutMs: number;
  /** Further request headers, e.g. `authorization` for a stream that needs an identity. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface EventStreamHandlers {
  /** The server answered 200 with an event stream. */
  onOpen(): void;
  onEvent(event: SseEvent): void;
  onClose(reason: Error): void;
}

export interface EventStream {
  close(): void;
}

export function openEventStream(options: EventStreamOptions, handlers: EventStreamHandlers): EventStream {
  const { url } = options;
  let finished = false;
  let watchdog: NodeJS.Timeout | undefined;

  const request: ClientRequest = (url.protocol === 'https:' ? httpsGet : httpGet)(url, {
    headers: {
      ...options.headers,
      accept: 'text/event-stream',
      'cache-control': 'no-cache',
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }),
    },
    // A stream holds its socket for hours: a pooled keep-alive agent gains nothing.
    agent: false,
  });

  const finish = (reason: Error | undefined): void => {
    if (finished) return;
    finished = true;
    clearTimeout(watchdog);
    request.destroy();
    if (reason !== undefined) handlers.onClose(reason);
  };

  // Own timer rather than socket timeouts: those start only once connected, and this one must
  // also bound the connect. Unref'd: an idle follower alone does not keep the process running.
  const arm = (ms: number, what: string): void => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => finish(new Error(`${what} within ${ms} ms`)), ms);
    watchdog.unref();
  };
  arm(options.connectTimeoutMs, `no response from ${url.href}`);

  request.on('socket', (socket) => socket.unref());
  request.on('error', (error) => finish(error));
  request.on('response', (response: IncomingMessage) => {
    const type = response.headers['content-type'] ?? '';
    if (response.statusCode !== 200 || !type.startsWith('text/event-stream')) {
      response.resume();
      finish(new Error(`${url.href} answered HTTP ${response.statusCode ?? '?'} (${type || 'no content type'}), expected 200 text/event-stream`));
      return;
    }
    const silence = `no data (not even a heartbeat) from ${url.href}`;
    arm(options.idleTimeoutMs, silence);
    handlers.onOpen();
    const parser = new SseParser();
    response.on('data', (chunk: Buffer) => {
      if (finished) return;
      watchdog?.refresh();
      for (const event of parser.push(chunk)) {
        // A handler may close the stream (stop() from inside onMapping): deliver nothing after.
        if (finished) return;
        handlers.onEvent(event);
      }
    });
    response.on('error', (error) => finish(error));
    response.on('close', () => finish(new Error(`${url.href} closed the stream`)));
  });

  return { close: () => finish(undefined) };
}
