// What the proxy tests share: a real management (in-process, PGlite) with the test fleet's
// fronting-1 registered, applications with tokens and policies made through its API, and the proxy
// as a real child process (so a test can kill -9 it), following management's mapping and access set.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { liveMappingSource, MultiClusterConsumer } from '@flotilla/client';
import { transportFor } from '@flotilla/kafka';
import { freePort } from '@flotilla/local-runtime';
import { startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { testCluster, testPlatform, uniqueName } from '@flotilla/testing';
import { startWorkerProcess, type WorkerProcess } from '../operations/worker-process';

const proxyMain = fileURLToPath(new URL('../../apps/proxy/src/main.ts', import.meta.url));

export interface ProxyPlatform {
  readonly management: ManagementHarness;
  /** A new topic on fronting-1. */
  topic(partitions?: number, retentionMs?: number): Promise<string>;
  /** A new application with a token, allowed `policies` (verb, resource pattern). */
  application(policies: { verb: 'PUT' | 'GET' | '*'; resource: string }[]): Promise<{ id: string; token: string; tokenId: string }>;
  startProxy(env?: Record<string, string>): Promise<ProxyProcess>;
  /** A worker process for operations (topic moves) on this platform's own task queue. */
  startWorker(): Promise<WorkerProcess>;
  stop(): Promise<void>;
}

/** An answer's JSON as the tests read it: the fields of whichever kind of answer it is. */
export interface AnswerBody {
  readonly error: { readonly status: number; readonly code: string; readonly message: string; readonly field?: string };
  readonly topic: string;
  readonly results: { readonly written: { cluster: string; partition: number; offset: string }[] }[];
  readonly accepted: number;
}

export interface ProxyProcess {
  readonly url: string;
  post(path: string, body: unknown, options?: { token?: string; contentType?: string; raw?: string }): Promise<{ status: number; headers: Headers; body: AnswerBody }>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProxyPlatform(): Promise<ProxyPlatform> {
  const { temporal } = testPlatform();
  // A task queue of its own: no other test's worker picks up this platform's operations.
  const taskQueue = uniqueName('proxy-operations');
  const management = await startManagementHarness('pglite', { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_TASK_QUEUE: taskQueue });
  const workers = new Set<WorkerProcess>();
  const admin = management.admin();
  const proxies = new Set<ProxyProcess>();
  const dirs: string[] = [];
  try {
    for (const name of ['fronting-1', 'fronting-2']) await admin.clusters.add.mutate({ name, role: 'fronting', tier: 'medium', bootstrap: testCluster(name).bootstrap });
  } catch (error) {
    await management.stop();
    throw error;
  }
  return {
    management,
    async topic(partitions = 2, retentionMs?: number) {
      const topic = uniqueName('http');
      await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions, cluster: 'fronting-1', ...(retentionMs === undefined ? {} : { retentionMs }) });
      return topic;
    },
    async application(policies) {
      const id = uniqueName('app');
      await admin.applications.add.mutate({ id, owner: 'proxy-tests' });
      for (const policy of policies) await admin.policies.add.mutate({ application: id, verb: policy.verb, resource: policy.resource, effect: 'allow' });
      const issued = await admin.tokens.issue.mutate({ application: id });
      return { id, token: issued.token, tokenId: issued.id };
    },
    async startProxy(env = {}) {
      const port = await freePort();
      const dir = await mkdtemp(join(tmpdir(), 'flotilla-proxy-'));
      dirs.push(dir);
      const child = spawn(process.execPath, ['--import', 'tsx', proxyMain], {
        env: {
          ...process.env,
          FLOTILLA_MANAGEMENT_URL: management.url,
          FLOTILLA_PROXY_TOKEN: management.adminToken,
          PROXY_PORT: String(port),
          PROXY_MAPPING_CACHE: join(dir, 'mapping.json'),
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'json',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const tls = env['PROXY_TLS_CERT'] !== undefined;
      const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
      const end = async (signal: NodeJS.Signals): Promise<void> => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
        proxies.delete(proxy);
      };
      const proxy: ProxyProcess = {
        url,
        async post(path, body, options = {}) {
          const response = await fetch(`${url}${path}`, {
            method: 'POST',
            headers: {
              'content-type': options.contentType ?? 'application/json',
              ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
            },
            body: options.raw ?? JSON.stringify(body),
          });
          const text = await response.text();
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: the test sees the text.
          }
          return { status: response.status, headers: response.headers, body: parsed as AnswerBody };
        },
        kill: () => end('SIGKILL'),
        stop: () => end('SIGTERM'),
      };
      proxies.add(proxy);
      await waitForReady(child, `${url}/readyz`, tls);
      return proxy;
    },
    async startWorker() {
      const worker = await startWorkerProcess({ temporal, taskQueue, managementUrl: management.url, managementToken: management.adminToken, onExit: (w) => workers.delete(w) });
      workers.add(worker);
      return worker;
    },
    async stop() {
      await Promise.all([...proxies].map((p) => p.kill()));
      await Promise.all([...workers].map((w) => w.kill()));
      await management.stop();
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

async function waitForReady(child: ChildProcess, url: string, tls: boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  // Over TLS the test's own CA signed the proxy's certificate: readiness only needs an answer.
  const ready = (): Promise<boolean> =>
    tls
      ? new Promise((resolve) => httpsGet(url, { rejectUnauthorized: false }, (response) => { response.resume(); resolve(response.statusCode === 200); }).on('error', () => resolve(false)))
      : fetch(url).then((response) => response.ok, () => false);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the proxy exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the proxy was not ready at ${url} within 60 s`);
}

/** Every value of `topic`, read from the beginning with a consumer group created now. */
export async function readAll(platform: ProxyPlatform, topic: string, done: (values: string[]) => boolean, timeoutMs = 60_000): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-proxy-read-'));
  const consumer = new MultiClusterConsumer({
    groupId: uniqueName('audit'),
    mapping: liveMappingSource({ url: platform.management.url, cacheFile: join(dir, 'mapping.json') }),
    transport: transportFor('kafkajs'),
  });
  const values: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? '') });
    const deadline = Date.now() + timeoutMs;
    while (!done(values) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    return values;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
