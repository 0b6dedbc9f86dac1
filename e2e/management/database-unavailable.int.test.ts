// Management on PostgreSQL when the database goes away under it: a TCP relay stands between them,
// and cutting it is what a stopped or unreachable server looks like to management (pooled
// connections dropped, new ones refused). Requests answer 503 with a message that says so, the CLI
// prints that line, the log holds warnings only, and once the relay is back requests succeed.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { runCli } from '@flotilla/cli';
import { createScratchDatabase } from '@flotilla/db';
import { postgresUrl, startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { createLogger } from '@flotilla/observability';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

interface Relay {
  readonly port: number;
  /** Drops every relayed connection and refuses new ones, as a server that went away. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

async function startRelay(target: { host: string; port: number }): Promise<Relay> {
  const sockets = new Set<Socket>();
  let port = 0;
  let server: Server | undefined;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.once('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        const address = next.address();
        port = typeof address === 'object' && address ? address.port : port;
        server = next;
        resolve();
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return { port, cut: stop, restore: listen, close: stop };
}

// Needs a PostgreSQL server (PGlite runs in-process and cannot go away): CI provides one through
// FLOTILLA_TEST_DATABASE_URL (tools/ci/postgres.sh); without it this file is skipped.
describe.skipIf(!postgresUrl)('management while its PostgreSQL database is unreachable (needs FLOTILLA_TEST_DATABASE_URL)', () => {
  let management: ManagementHarness;
  let relay: Relay;
  let dropDatabase = async (): Promise<void> => {};
  const logged: { level: number; msg: string; [field: string]: unknown }[] = [];
  const notAnswering = /^the database is not answering \((connect ECONNREFUSED 127\.0\.0\.1:\d+|Connection terminated[^)]*)\): the registry cannot be read or changed until it is back$/;

  beforeAll(async () => {
    const scratch = await createScratchDatabase(postgresUrl ?? '', 'flotilla_unreachable');
    dropDatabase = () => scratch.drop();
    const url = new URL(scratch.url);
    relay = await startRelay({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.push(JSON.parse(line) as (typeof logged)[number]);
        done();
      },
    });
    management = await startManagementHarness('pglite', { DATABASE_URL: url.toString() }, { logger: createLogger({ service: 'management-test', level: 'info', destination }) });
  });

  afterAll(async () => {
    await management?.stop();
    await relay?.close();
    await dropDatabase();
  });

  it('answers 503 with the reason while the database is gone, and serves again once it is back', async () => {
    const before = await management.admin().clusters.list.query();
    await relay.cut();

    const response = await fetch(`${management.url}/trpc/clusters.list`, { headers: { authorization: `Bearer ${management.adminToken}` } });
    const body = (await response.json()) as { error: { message: string; data: { httpStatus: number; flotilla: { code: string } } } };
    let stderr = '';
    const code = await runCli(['clusters', 'list'], {
      url: management.url,
      token: management.adminToken,
      tokenFile: '/nonexistent',
      output: (json) => ({ json, write: () => {}, error: (text) => void (stderr += `${text}\n`) }),
    });

    expect(response.status).toBe(503);
    expect(body.error.message).toMatch(notAnswering);
    expect(body.error.data).toMatchObject({ httpStatus: 503, flotilla: { code: 'UNAVAILABLE' } });
    expect(code).toBe(1);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr.replace(/^flotilla: /, '').trim()).toMatch(notAnswering);
    expect(logged.filter((line) => line.level >= 50)).toEqual([]);
    expect(logged.filter((line) => line.msg === 'procedure unavailable').length).toBeGreaterThanOrEqual(2);

    await relay.restore();
    await vi.waitFor(async () => expect(await management.admin().clusters.list.query()).toEqual(before), { timeout: 15_000, interval: 200 });
  });
});
