import { UnavailableError, ValidationError } from '@flotilla/errors';
import { MappingValidationError } from '@flotilla/mapping';
import { startMappingServer, type MappingServer } from '@flotilla/mapping-server';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { liveMappingSource, type LiveMappingSourceOptions } from './live-mapping-source';
import { recordMappings, type MappingRecorder } from './mapping-listener-recorder';
import type { MappingSource } from './mapping-source';
import { UNKNOWN_SINK_MESSAGE, mappingDocument, mappingWithUnknownSink } from './test-mapping-documents';

let servers: MappingServer[] = [];
let sources: MappingSource[] = [];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flotilla-mapping-source-'));
});

afterEach(async () => {
  await Promise.all(sources.map((source) => source.stop()));
  await Promise.all(servers.map((server) => server.stop()));
  sources = [];
  servers = [];
  await rm(dir, { recursive: true, force: true });
});

async function server(port?: number): Promise<MappingServer> {
  const started = await startMappingServer(port === undefined ? {} : { port });
  servers.push(started);
  return started;
}

/** A source with test-friendly reconnection (tens of ms, not seconds); warnings are recorded. */
function source(recorder: MappingRecorder, options: LiveMappingSourceOptions): MappingSource {
  const created = liveMappingSource({ reconnectMs: 20, maxReconnectMs: 100, onWarning: recorder.onWarning, ...options });
  sources.push(created);
  return created;
}

/** A port nothing listens on: one a server just gave back. */
async function closedPort(): Promise<number> {
  const probe = await startMappingServer();
  await probe.stop();
  return probe.port;
}

describe('liveMappingSource: following the stream', () => {
  it('starts with the current version and applies a newly published one within a second', async () => {
    const s = await server();
    s.publish(mappingDocument(1));
    const recorder = recordMappings();
    const follower = source(recorder, { url: s.url });
    await follower.start(recorder.listener);
    expect(follower.current()?.version).toBe(1);
    expect(follower.current()?.producerTargets('t1').map((c) => c.name)).toEqual(['fronting-kafka-1']);

    const publishedAt = performance.now();
    s.publish(mappingDocument(2, 'fronting-kafka-2'));
    await vi.waitFor(() => expect(recorder.versions()).toEqual([1, 2]), { timeout: 2_000, interval: 5 });
    const applied = recorder.mappings[1];
    expect(applied?.previous).toBe(1);
    expect((applied?.at ?? Infinity) - publishedAt).toBeLessThan(1_000);
    expect(follower.current()?.producerTargets('t1').map((c) => c.name)).toEqual(['fronting-kafka-2']);
  });

  it('rejects a malformed version with the path in the message and keeps the previous one', async () => {
    const s = await server();
    s.publish(mappingDocument(1));
    const recorder = recordMappings();
    const follower = source(recorder, { url: s.url });
    await follower.start(recorder.listener);

    s.publish(mappingWithUnknownSink(2));
    await vi.waitFor(() => expect(recorder.rejected).toHaveLength(1), { timeout: 2_000, interval: 5 });
    const [rejection] = recorder.rejected;
    expect(rejection?.error).toBeInstanceOf(MappingValidationError);
    expect(rejection?.error.message).toContain(UNKNOWN_SINK_MESSAGE);
    expect(rejection?.raw).toBe(JSON.stringify(mappingWithUnknownSink(2)));
    expect(follower.current()?.version).toBe(1);

    // Text that is not JSON at all is refused the same way, at the root.
    s.publish('{"version": 3, "clusters": ');
    await vi.waitFor(() => expect(recorder.rejected).toHaveLength(2), { timeout: 2_000, interval: 5 });
    expect(recorder.rejected[1]?.error.message).toMatch(/^invalid mapping: \(root\): not valid JSON/);

    // The stream is still followed: the next valid version applies on top of version 1.
    s.publish(mappingDocument(4));
    await vi.waitFor(() => expect(recorder.versions()).toEqual([1, 4]), { timeout: 2_000, interval: 5 });
    expect(recorder.mappings[1]?.previous).toBe(1);
  });

  it('ignores versions that are not newer than the one in force, without any callback', async () => {
    const s = await server();
    s.publish(mappingDocument(5));
    const recorder = recordMappings();
    const follower = source(recorder, { url: s.url });
    await follower.start(recorder.listener);

    s.publish(mappingDocument(3, 'fronting-kafka-2'));
    s.publish(mappingDocument(5, 'fronting-kafka-2'));
    // Stale and broken: still only stale, so nothing is reported.
    s.publish(mappingWithUnknownSink(4));
    s.publish(mappingDocument(6));
    // Events arrive in order on one stream: once 6 is in, the three before it were seen.
    await vi.waitFor(() => expect(recorder.versions()).toEqual([5, 6]), { timeout: 2_000, interval: 5 });
    expect(recorder.rejected).toEqual([]);
    expect(follower.current()?.version).toBe(6);
  });

  it('reconnects after management restarts and picks up what was published meanwhile', async () => {
    const first = await server();
    first.publish(mappingDocument(1));
    const recorder = recordMappings();
    const follower = source(recorder, { url: first.url });
    await follower.start(recorder.listener);

    await first.stop();
    await vi.waitFor(() => expect(recorder.warnings).toHaveLength(1), { timeout: 2_000, interval: 5 });
    expect(recorder.warnings[0]).toBeInstanceOf(UnavailableError);
    expect(recorder.warnings[0]?.message).toContain('keeping version 1');
    expect(follower.current()?.version).toBe(1);

    const second = await server(first.port);
    second.publish(mappingDocument(2));
    await vi.waitFor(() => expect(recorder.versions()).toEqual([1, 2]), { timeout: 5_000, interval: 10 });
  });
});

describe('liveMappingSource: the disk cache', () => {
  it('writes each accepted version atomically, as the document text received', async () => {
    const s = await server();
    const cacheFile = join(dir, 'nested', 'mapping.json');
    s.publish(mappingDocument(1));
    const recorder = recordMappings();
    const follower = source(recorder, { url: s.url, cacheFile });
    await follower.start(recorder.listener);
    s.publish(mappingWithUnknownSink(2));
    s.publish(mappingDocument(3));
    await vi.waitFor(() => expect(recorder.versions()).toEqual([1, 3]), { timeout: 2_000, interval: 5 });
    await follower.stop();
    // The rejected version 2 never reached the disk; no temp file is left beside the cache.
    expect(await readFile(cacheFile, 'utf8')).toBe(JSON.stringify(mappingDocument(3)));
    expect(await readdir(join(dir, 'nested'))).toEqual(['mapping.json']);
  });

  it('starts from the cache while management is down, then switches when it comes back', async () => {
    const first = await server();
    const cacheFile = join(dir, 'mapping.json');
    first.publish(mappingDocument(7));
    const before = recordMappings();
    const earlier = source(before, { url: first.url, cacheFile });
    await earlier.start(before.listener);
    await earlier.stop();
    await first.stop();

    const recorder = recordMappings();
    const follower = source(recorder, { url: first.url, cacheFile, startTimeoutMs: 5_000 });
    const startedAt = performance.now();
    await follower.start(recorder.listener);
    // Connection refused sends it to the cache at once, not after the start timeout.
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    expect(follower.current()?.version).toBe(7);
    expect(recorder.mappings[0]?.previous).toBeUndefined();

    const second = await server(first.port);
    second.publish(mappingDocument(8, 'fronting-kafka-2'));
    await vi.waitFor(() => expect(recorder.versions()).toEqual([7, 8]), { timeout: 5_000, interval: 10 });
    expect(follower.current()?.producerTargets('t2').map((c) => c.name)).toEqual(['fronting-kafka-2']);
    await vi.waitFor(async () => expect(await readFile(cacheFile, 'utf8')).toBe(JSON.stringify(mappingDocument(8, 'fronting-kafka-2'))), {
      timeout: 2_000,
      interval: 10,
    });
  });

  it('reports a corrupt cache file clearly and does not use it', async () => {
    const cacheFile = join(dir, 'mapping.json');
    await writeFile(cacheFile, JSON.stringify(mappingWithUnknownSink(4)));
    const url = `http://127.0.0.1:${await closedPort()}`;
    const recorder = recordMappings();
    const follower = source(recorder, { url, cacheFile, startTimeoutMs: 400 });

    const failure = await follower.start(recorder.listener).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(recorder.rejected).toHaveLength(1);
    expect(recorder.rejected[0]?.error).toBeInstanceOf(ValidationError);
    expect(recorder.rejected[0]?.error.message).toBe(
      `mapping cache file "${cacheFile}" is unusable and was ignored: invalid mapping: ${UNKNOWN_SINK_MESSAGE}`,
    );
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as Error).message).toContain(`mapping cache file "${cacheFile}" is unusable`);
    expect(follower.current()).toBeUndefined();
  });

  it('a corrupt cache is not in the way when management answers', async () => {
    const s = await server();
    s.publish(mappingDocument(2));
    const cacheFile = join(dir, 'mapping.json');
    await writeFile(cacheFile, '{"version": 1, "clus');
    const recorder = recordMappings();
    const follower = source(recorder, { url: s.url, cacheFile });
    await follower.start(recorder.listener);
    expect(follower.current()?.version).toBe(2);
    await follower.stop();
    expect(await readFile(cacheFile, 'utf8')).toBe(JSON.stringify(mappingDocument(2)));
  });
});

/** A management that accepts connections and then says nothing (overloaded, or a stuck proxy). */
async function silentServer(sendHeaders: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const silent: Server = createServer((_req, res) => {
    if (sendHeaders) res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        silent.closeAllConnections();
        silent.close(() => resolve());
      }),
  };
}

describe('liveMappingSource: a management that hangs', () => {
  it('gives up on an attempt without response headers and starts from the cache', async () => {
    const hanging = await silentServer(false);
    const cacheFile = join(dir, 'mapping.json');
    await writeFile(cacheFile, JSON.stringify(mappingDocument(11)));
    const recorder = recordMappings();
    const follower = source(recorder, { url: hanging.url, cacheFile, connectTimeoutMs: 150, startTimeoutMs: 5_000 });
    try {
      const startedAt = performance.now();
      await follower.start(recorder.listener);
      expect(performance.now() - startedAt).toBeLessThan(1_000);
      expect(follower.current()?.version).toBe(11);
      await vi.waitFor(() => expect(recorder.warnings[0]?.message).toContain('no response from'), { timeout: 2_000, interval: 10 });
    } finally {
      await follower.stop();
      await hanging.close();
    }
  });

  it('treats an open stream that stays silent past idleTimeoutMs as lost', async () => {
    const silent = await silentServer(true);
    const recorder = recordMappings();
    const follower = source(recorder, { url: silent.url, idleTimeoutMs: 100, startTimeoutMs: 2_000 });
    const starting = follower.start(recorder.listener).catch((error: unknown) => error);
    try {
      await vi.waitFor(() => expect(recorder.warnings[0]?.message).toContain('no data (not even a heartbeat)'), { timeout: 2_000, interval: 10 });
    } finally {
      await follower.stop();
      await silent.close();
    }
    expect(await starting).toBeInstanceOf(UnavailableError);
  });
});

describe('liveMappingSource: start-up failure', () => {
  it('without management and without a cache, start() rejects with UnavailableError naming the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const recorder = recordMappings();
    const follower = source(recorder, { url, startTimeoutMs: 500 });
    const startedAt = performance.now();
    const failure = await follower.start(recorder.listener).then(
      () => undefined,
      (error: unknown) => error,
    );
    const elapsed = performance.now() - startedAt;
    expect(failure).toBeInstanceOf(UnavailableError);
    const message = (failure as Error).message;
    expect(message).toContain(`no mapping from ${url}/v1/mapping/stream within 500 ms`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('no cacheFile configured');
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('a server that answers but has no version yet: start() says so, and a cache file that does not exist is named', async () => {
    const s = await server();
    const cacheFile = join(dir, 'absent.json');
    const recorder = recordMappings();
    const follower = source(recorder, { url: s.url, cacheFile, startTimeoutMs: 400 });
    await expect(follower.start(recorder.listener)).rejects.toThrow(
      `no mapping from ${s.url}/v1/mapping/stream within 400 ms (connected, but no version has been published) and none cached (cache file "${cacheFile}" does not exist)`,
    );
  });

  it('stop() during start() rejects the pending start and leaves no socket or timer behind', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const handles = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap' || kind === 'Timeout').length;
    const baseline = handles();
    const recorder = recordMappings();
    const follower = source(recorder, { url, startTimeoutMs: 10_000 });
    const starting = follower.start(recorder.listener);
    await follower.stop();
    await expect(starting).rejects.toThrow(/was stopped before a first mapping arrived/);
    // Sockets release their handle on a later tick; vi.waitFor would add timers of its own.
    await sleep(50);
    expect(handles()).toBeLessThanOrEqual(baseline);
  });

  it('a second start() is refused', async () => {
    const s = await server();
    s.publish(mappingDocument(1));
    const recorder = recordMappings();
    const follower = source(recorder, { url: s.url });
    await follower.start(recorder.listener);
    await expect(follower.start(recorder.listener)).rejects.toThrow(/was already started/);
  });
});
