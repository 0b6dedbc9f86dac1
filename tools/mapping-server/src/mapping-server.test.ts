import { afterEach, describe, expect, it } from 'vitest';
import { startMappingServer, type MappingServer } from './index';

const CLUSTERS = { 'fronting-kafka-1': { bootstrap: ['127.0.0.1:19092'], tier: 'medium', role: 'fronting' } };
const doc = (version: number) => ({
  version,
  clusters: CLUSTERS,
  producers: { __default__: { where: [{ sink: 'fronting-kafka-1' }] } },
});

/** An open stream whose received text accumulates until it holds what a test waits for. */
interface TestStream {
  until(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
}

async function openStream(server: MappingServer, headers: Record<string, string> = {}): Promise<TestStream> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}/v1/mapping/stream`, { headers, signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const body = response.body;
  if (body === null) throw new Error('stream response has no body');
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  return {
    async until(predicate, timeoutMs = 2_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(text)) {
        if (Date.now() > deadline) throw new Error(`stream never matched; received: ${JSON.stringify(text)}`);
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`stream ended; received: ${JSON.stringify(text)}`);
        text += chunk.value;
      }
      return text;
    },
    close: () => abort.abort(),
  };
}

let server: MappingServer | undefined;
const streams: TestStream[] = [];

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await server?.stop();
  server = undefined;
});

async function start(options: { heartbeatMs?: number } = {}): Promise<MappingServer> {
  server = await startMappingServer(options);
  return server;
}

async function stream(s: MappingServer, headers?: Record<string, string>): Promise<TestStream> {
  const opened = await openStream(s, headers);
  streams.push(opened);
  return opened;
}

describe('GET /v1/mapping', () => {
  it('is 404 before any version and the current document after', async () => {
    const s = await start();
    expect((await fetch(`${s.url}/v1/mapping`)).status).toBe(404);
    s.publish(doc(3));
    s.publish(doc(4));
    const response = await fetch(`${s.url}/v1/mapping`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(doc(4));
    expect(s.current()?.version).toBe(4);
  });

  it('serves published text byte for byte, even when it is not JSON', async () => {
    const s = await start();
    s.publish('{ "version": 5, oops');
    expect(await (await fetch(`${s.url}/v1/mapping`)).text()).toBe('{ "version": 5, oops');
    expect(s.current()).toEqual({ version: undefined, raw: '{ "version": 5, oops' });
  });

  it('answers 405 to other methods and 404 to other paths', async () => {
    const s = await start();
    expect((await fetch(`${s.url}/v1/mapping`, { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await fetch(`${s.url}/v1/other`)).status).toBe(404);
  });
});

describe('GET /v1/mapping/stream', () => {
  it('sends the current version on connect, then each new one as id/event/data', async () => {
    const s = await start();
    s.publish(doc(1));
    const follower = await stream(s);
    await follower.until((text) => text.includes('id: 1\n'));
    s.publish(doc(2));
    const text = await follower.until((t) => t.includes('id: 2\n'));
    expect(text).toContain(`id: 2\nevent: mapping\ndata: ${JSON.stringify(doc(2))}\n\n`);
  });

  it('pushes to every open stream', async () => {
    const s = await start();
    const a = await stream(s);
    const b = await stream(s);
    expect(s.streamCount()).toBe(2);
    s.publish(doc(7));
    await a.until((t) => t.includes('id: 7\n'));
    await b.until((t) => t.includes('id: 7\n'));
  });

  it('honours Last-Event-ID: the current version only when it is newer', async () => {
    const s = await start();
    s.publish(doc(5));
    const upToDate = await stream(s, { 'last-event-id': '5' });
    const behind = await stream(s, { 'last-event-id': '4' });
    await behind.until((t) => t.includes('id: 5\n'));
    s.publish(doc(6));
    // The first version the up-to-date follower sees is 6: 5 was never resent to it.
    const text = await upToDate.until((t) => t.includes('id: 6\n'));
    expect(text).not.toContain('id: 5');
  });

  it('sends a comment heartbeat on idle streams', async () => {
    const s = await start({ heartbeatMs: 30 });
    const follower = await stream(s);
    await follower.until((t) => t.includes(': heartbeat\n\n'));
  });

  it('splits multi-line text into data lines a follower joins back', async () => {
    const s = await start();
    const follower = await stream(s);
    s.publish('{\n  "version": 9\n}');
    await follower.until((t) => t.includes('data: {\ndata:   "version": 9\ndata: }\n\n'));
  });

  it('stop() ends open streams and frees the port', async () => {
    const s = await start();
    const follower = await stream(s);
    await s.stop();
    await expect(follower.until(() => false)).rejects.toThrow(/stream ended/);
    const again = await startMappingServer({ port: s.port });
    await again.stop();
  });
});
