// GET /v1/groups/{group}/topics/{topic}/stream: a consumer instance's records as server-sent
// events, each `id: <cluster>/<partition>/<offset>`, acknowledged through the offsets endpoint.
// Backpressure: while the client's socket does not drain, the topic is paused and nothing more is
// taken, so what Kafka fetches stays bounded by what the client reads. A stream that ends with
// records written and not committed ends its consumer instance too: the client may not have
// received them, so they go to the group again rather than be committed by a later commit-all.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { parseInput } from '@flotilla/errors';
import type { FastifyReply } from 'fastify';
import { checkConsume, toFetchedRecord, type ConsumeCall, type ConsumeDeps } from './consume';
import type { SessionKey } from './consume-session';
import { streamQuerySchema } from './consume-schema';

/** Records taken from the consumer per write. */
const STREAM_BATCH = 500;
/** A comment line this often keeps intermediaries from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

export async function streamRecords(deps: ConsumeDeps, call: ConsumeCall, reply: FastifyReply): Promise<void> {
  const query = checkConsume(deps, call, (raw) => parseInput(streamQuerySchema, raw, 'query'));
  const key: SessionKey = { application: call.application, group: call.group, topic: call.topic, consumer: query.consumer };
  const session = await deps.sessions.acquire(key);
  const detach = session.attach();
  const closed = new AbortController();
  const out = reply.raw;
  reply.hijack();
  out.on('close', () => closed.abort());
  // No `connection` header: HTTP/2 refuses connection-specific headers, and HTTP/1.1 keeps alive anyway.
  out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  out.write(`: consumer "${query.consumer}" of group "${call.group}" on topic "${call.topic}"; encoding ${query.encoding}\n\n`);
  try {
    while (!closed.signal.aborted && !session.closed) {
      const handed = await session.fetch(STREAM_BATCH, KEEPALIVE_MS, closed.signal);
      if (handed.length === 0) {
        if (!closed.signal.aborted) out.write(': keep-alive\n\n');
        continue;
      }
      let draining = true;
      for (const one of handed) {
        const record = toFetchedRecord(one, query.encoding);
        draining = out.write(`id: ${record.cluster}/${record.partition}/${record.offset}\nevent: record\ndata: ${JSON.stringify(record)}\n\n`);
      }
      if (!draining) await drained(out, closed.signal, () => session.pauseFetching(), () => session.resumeFetching());
    }
  } finally {
    detach();
    if (!out.writableEnded) out.end();
    if (session.uncommitted().length > 0) await deps.sessions.end(key);
  }
}

/** Waits for the socket to drain (or close), with the topic paused meanwhile. */
async function drained(out: ServerResponse, signal: AbortSignal, pause: () => void, resume: () => void): Promise<void> {
  pause();
  try {
    await once(out, 'drain', { signal });
  } catch {
    // Closed while waiting: the loop ends.
  } finally {
    resume();
  }
}
