// The plain-HTTP mapping endpoints of the mapping-follow protocol (tools/mapping-server/README.md):
// `GET /v1/mapping` and the server-sent-event stream `GET /v1/mapping/stream` that smart clients
// in any language follow. Each event is a whole mapping, so a slow follower simply gets the newest.
import type { MappingFeed } from '@flotilla/api';
import type { MappingVersion } from '@flotilla/db';
import type { FastifyInstance } from 'fastify';

const HEARTBEAT_MS = 15_000;


export function registerMappingStream(app: FastifyInstance, feed: MappingFeed, heartbeatMs = HEARTBEAT_MS): void {
  // Every open stream gets the same bytes for a version: serialise once, not once per follower.
  let lastFrame: { version: MappingVersion; text: string } | undefined;
  const frame = (version: MappingVersion): string => {
    if (lastFrame?.version !== version) {
      lastFrame = { version, text: `id: ${version.version}\nevent: mapping\ndata: ${JSON.stringify(version.document)}\n\n` };
    }
    return lastFrame.text;
  };

  app.get('/v1/mapping', async (_request, reply) => {
    const current = feed.current();
    if (!current) return reply.code(404).send({ error: 'no mapping version has been published' });
    return reply.header('cache-control', 'no-cache').send(current.document);
  });

  app.get('/v1/mapping/stream', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': flotilla mapping stream\n\n');
    const header = request.headers['last-event-id'];
    const held = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : 0;
    let sent = held;
    const send = (version: MappingVersion): void => {
      if (version.version <= sent) return;
      sent = version.version;
      res.write(frame(version));
    };
    const current = feed.current();
    if (current) send(current);
    const unsubscribe = feed.subscribe(send);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
