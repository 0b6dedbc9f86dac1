// What the proxy bench measures the proxy in: management in this process (the test harness,
// PGlite, no Temporal: registering a cluster, creating topics and issuing a token need none) with
// the bench's cluster registered, an application with an API token and a produce policy, and the
// proxy as a child process (`apps/proxy/src/main.ts`) following management's mapping and access
// set, as e2e/proxy does. Everything goes onto the caller's cleanup stack as soon as it runs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaCluster } from '@flotilla/local-kafka';
import { startManagementHarness } from '@flotilla/management/testing';
import { createLogger } from '@flotilla/observability';
import { spawnApp, waitUntilReady } from './app-process';
import type { CleanupStack } from './cleanup-stack';

export const PROXY_BENCH_CLUSTER = 'bench-proxy-fronting';
const APPLICATION = 'bench-http-producer';
/** SIGTERM: taken records are written first, and a --cpu-prof profile on the way out. */
const PROXY_STOP_GRACE_MS = 20_000;
const READY_TIMEOUT_MS = 60_000;

export interface ProxyBenchPlatform {
  /** The proxy child's pid: its CPU time is the proxy's cost. */
  readonly proxyPid: number;
  readonly proxyUrl: string;
  /** The application's API token, allowed to produce to every topic. */
  readonly token: string;
}

export interface ProxyBenchPlatformOptions {
  cluster: KafkaCluster;
  /** Created through management before the proxy starts, so its first mapping has them all. */
  topics: readonly { name: string; partitions: number }[];
  runDir: string;
  proxyPort: number;
  /** Node flags for the proxy child before `--import tsx`, e.g. `--cpu-prof`. */
  proxyNodeFlags: readonly string[];
  cleanup: CleanupStack;
  progress: (line: string) => void;
}

export async function startProxyBenchPlatform(options: ProxyBenchPlatformOptions): Promise<ProxyBenchPlatform> {
  const { cleanup, progress, runDir } = options;
  mkdirSync(runDir, { recursive: true });
  progress('starting management (in this process, PGlite)');
  const logger = createLogger({ service: 'bench-proxy-management', level: 'warn', destination: process.stderr });
  const management = await startManagementHarness('pglite', {}, { logger });
  cleanup.push('management', () => management.stop());
  const admin = management.admin();
  await admin.clusters.add.mutate({ name: PROXY_BENCH_CLUSTER, role: 'fronting', tier: 'medium', bootstrap: [...options.cluster.bootstrap] });
  for (const topic of options.topics) await admin.topics.create.mutate({ name: topic.name, tier: 'medium', partitions: topic.partitions, cluster: PROXY_BENCH_CLUSTER });
  await admin.applications.add.mutate({ id: APPLICATION, owner: 'bench' });
  await admin.policies.add.mutate({ application: APPLICATION, verb: 'PUT', resource: '/topics/**', effect: 'allow' });
  const { token } = await admin.tokens.issue.mutate({ application: APPLICATION });

  progress(`starting the proxy (apps/proxy/src/main.ts, port ${options.proxyPort})`);
  const proxy = spawnApp({
    app: 'proxy',
    nodeFlags: options.proxyNodeFlags,
    env: {
      FLOTILLA_MANAGEMENT_URL: management.url,
      FLOTILLA_PROXY_TOKEN: management.adminToken,
      PROXY_HOST: '127.0.0.1',
      PROXY_PORT: String(options.proxyPort),
      PROXY_MAPPING_CACHE: join(runDir, 'proxy-mapping.json'),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stopGraceMs: PROXY_STOP_GRACE_MS,
    cleanup,
  });
  const proxyUrl = `http://127.0.0.1:${options.proxyPort}`;
  await waitUntilReady(proxy, 'proxy', `${proxyUrl}/readyz`, READY_TIMEOUT_MS);
  return { proxyPid: proxy.pid, proxyUrl, token };
}
