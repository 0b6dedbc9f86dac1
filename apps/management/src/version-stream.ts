// The plain-HTTP endpoints of a versioned document that processes follow: `GET <path>` and the
// server-sent-event stream `GET <path>/stream`. The mapping (`/v1/mapping`, the mapping-follow
// protocol of tools/mapping-server/README.md) is followed by smart clients in any language, the
// route set (`/v1/routes`) by routers, the access set (`/v1/access`, authenticated) by proxies. Each
// event is a whole document, so a slow follower simply gets the newest; `Last-Event-ID` skips what
// the follower already has.
import type { VersionFeed } from '@flotilla/api';
import type { VersionedDocument } from '@flotilla/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 15_000;

export interface VersionStream<Document> {
  /** `/v1/mapping`: the document; `<path>/stream` its stream. */
  readonly path: string;
  /** The SSE event name, and what the documents are in errors: `mapping`, `routes`. */
  readonly event: string;
  readonly feed: VersionFeed<VersionedDocument<Document>>;
  /**
   * Who may read the documents: undefined lets a request through, a refusal answers it with its
   * status and `{ error }`. Asked again before each version an open stream sends, so a follower
   * whose credential is revoked gets no version after the one that revokes it. Without it, anyone.
   */
  readonly authorize?: ((request: FastifyRequest) => Promise<StreamRefusal | undefined>) | undefined;
}

export interface StreamRefusal {
  readonly status: 401 | 403;
  readonly error: string;
}

export function registerVersionStream<Document>(app: FastifyInstance, stream: VersionStream<Document>, heartbeatMs = HEARTBEAT_MS): void {
  const { path, event, feed, authorize } = stream;
  // Every open stream gets the same bytes for a version: serialise once, not once per follower.
  let lastFrame: { version: VersionedDocument<Document>; text: string } | undefined;
  const frame = (version: VersionedDocument<Document>): string => {
    if (lastFrame?.version !== version) {
      lastFrame = { version, text: `id: ${version.version}\nevent: ${event}\ndata: ${JSON.stringify(version.document)}\n\n` };
    }
    return lastFrame.text;
  };

  const preHandler = authorize && {
    preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
      const refusal = await authorize(request);
      if (refusal) return reply.code(refusal.status).send({ error: refusal.error });
    },
  };

  app.get(path, { ...preHandler }, async (_request, reply) => {
    const current = feed.current();
    if (!current) return reply.code(404).send({ error: `no ${event} version has been published` });
    return reply.header('cache-control', 'no-cache').send(current.document);
  });

  app.get(`${path}/stream`, { ...preHandler }, (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`: flotilla ${event} stream\n\n`);
    const header = request.headers['last-event-id'];
    const held = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : 0;
    let sent = held;
    const write = (version: VersionedDocument<Document>): void => {
      if (version.version <= sent) return;
      sent = version.version;
      res.write(frame(version));
    };
    // With authorization each version waits for its check; one chain keeps them in order.
    let checked = Promise.resolve();
    const send = !authorize
      ? write
      : (version: VersionedDocument<Document>): void => {
          checked = checked.then(async () => {
            if (res.writableEnded) return;
            const refusal = await authorize(request).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
            if (refusal) res.end(`event: error\ndata: ${JSON.stringify({ error: refusal.error })}\n\n`);
            else write(version);
          });
        };
    const current = feed.current();
    if (current) write(current);
    const unsubscribe = feed.subscribe(send);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
