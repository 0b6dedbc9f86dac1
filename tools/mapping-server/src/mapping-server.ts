// A stand-in for the management service's mapping endpoints (README.md in this package), small
// enough to start per test: one node:http server, the current version in memory, and every open
// stream pushed to as soon as a version is published.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseLastEventId, toPublishedMapping, type PublishedMapping } from './published-mapping';
import { HEARTBEAT_FRAME, HELLO_FRAME, mappingFrame } from './sse-frame';

export const MAPPING_PATH = '/v1/mapping';
export const MAPPING_STREAM_PATH = '/v1/mapping/stream';
export const DEFAULT_HEARTBEAT_MS = 15_000;

export interface MappingServerOptions {
  /** 0 (the default) picks a free port; pass a stopped server's port to bring it "back". */
  readonly port?: number;
  readonly host?: string;
  /** Interval of the comment-line heartbeat on every stream. */
  readonly heartbeatMs?: number;
}

export interface MappingServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`; the endpoints live under `/v1/mapping`. */
  readonly url: string;
  readonly port: number;
  /** Makes `document` current and pushes it to every open stream. Text is served as-is. */
  publish(document: object | string): PublishedMapping;
  current(): PublishedMapping | undefined;
  /** How many streams are open now (lets tests wait for a follower to reconnect). */
  streamCount(): number;
  /** Ends every stream and closes the server; resolves when the port is free again. */
  stop(): Promise<void>;
}

export async function startMappingServer(options: MappingServerOptions = {}): Promise<MappingServer> {
  const host = options.host ?? '127.0.0.1';
  const streams = new Set<ServerResponse>();
  let current: PublishedMapping | undefined;
  let stopping: Promise<void> | undefined;

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== MAPPING_PATH && path !== MAPPING_STREAM_PATH) {
      sendJson(res, 404, { error: `no route ${path}` });
    } else if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      sendJson(res, 405, { error: `method ${req.method ?? ''} not allowed on ${path}` });
    } else if (path === MAPPING_PATH) {
      if (current === undefined) sendJson(res, 404, { error: 'no mapping version has been published' });
      else sendText(res, 200, current.raw);
    } else {
      openStream(req, res);
    }
  });

  function openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise buffer the stream and delay versions.
      'x-accel-buffering': 'no',
    });
    res.write(HELLO_FRAME);
    const held = parseLastEventId(req.headers['last-event-id']);
    // A follower that already holds the current version gets nothing until the next one. A
    // version-less (malformed) current is always sent: there is nothing to compare.
    if (current !== undefined && (held === undefined || current.version === undefined || current.version > held)) {
      res.write(mappingFrame(current));
    }
    streams.add(res);
    res.on('close', () => streams.delete(res));
  }

  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(HEARTBEAT_FRAME);
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    clearInterval(heartbeat);
    throw error;
  });

  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    publish(document) {
      const published = toPublishedMapping(document);
      current = published;
      const frame = mappingFrame(published);
      for (const res of streams) res.write(frame);
      return published;
    },
    current: () => current,
    streamCount: () => streams.size,
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        clearInterval(heartbeat);
        for (const res of streams) res.end();
        streams.clear();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Streams and keep-alive sockets would otherwise hold close() open indefinitely.
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  sendText(res, status, JSON.stringify(body));
}
