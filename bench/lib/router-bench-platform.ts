// The control plane and the router the router bench measures: management in this process
// (`@flotilla/management/testing`'s harness, PGlite, no Temporal: creating, placing and routing
// topics needs none) with the bench's two clusters registered, and one router as a child process
// (`apps/router/src/main.ts`) following it, as e2e/router does. Topics are created and placed and
// routes added through management's tRPC API, as an operator would. Everything goes onto the
// caller's cleanup stack as soon as it runs.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaCluster } from '@flotilla/local-kafka';
import { workspaceRoot } from '@flotilla/local-runtime';
import { startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { createLogger } from '@flotilla/observability';
import type { CleanupStack } from './cleanup-stack';

export const FRONTING = 'bench-fronting';
export const CONSUMER = 'bench-consumer';

export interface RouterBenchPlatform {
  readonly management: ManagementHarness;
  /** The router child's pid: its CPU time is the router's cost. */
  readonly routerPid: number;
  /** A topic producers write and consumers read on the fronting cluster: a route's source. */
  sourceTopic(name: string, partitions: number): Promise<void>;
  /** A topic placed on the consumer cluster only: a route's destination or dead-letter topic. */
  consumerTopic(name: string, partitions: number): Promise<void>;
  addRoute(definition: Record<string, unknown>): Promise<void>;
  removeRoute(name: string): Promise<void>;
}

export interface RouterBenchPlatformOptions {
  fronting: KafkaCluster;
  consumer: KafkaCluster;
  runDir: string;
  routerPort: number;
  /** Node flags for the router child before `--import tsx`, e.g. `--cpu-prof`. */
  routerNodeFlags: readonly string[];
  cleanup: CleanupStack;
  progress: (line: string) => void;
}

const ROUTER_STOP_GRACE_MS = 20_000;
const READY_TIMEOUT_MS = 60_000;

export async function startRouterBenchPlatform(options: RouterBenchPlatformOptions): Promise<RouterBenchPlatform> {
  const { cleanup, progress, runDir } = options;
  mkdirSync(runDir, { recursive: true });
  progress('starting management (in this process, PGlite)');
  const logger = createLogger({ service: 'bench-router-management', level: 'warn', destination: process.stderr });
  const management = await startManagementHarness('pglite', {}, { logger });
  cleanup.push('management', () => management.stop());
  const admin = management.admin();
  await admin.clusters.add.mutate({ name: FRONTING, role: 'fronting', tier: 'medium', bootstrap: [...options.fronting.bootstrap] });
  await admin.clusters.add.mutate({ name: CONSUMER, role: 'consumer', bootstrap: [...options.consumer.bootstrap] });

  progress(`starting the router (apps/router/src/main.ts, port ${options.routerPort})`);
  const child = spawn(process.execPath, [...options.routerNodeFlags, '--import', 'tsx', join(workspaceRoot, 'apps', 'router', 'src', 'main.ts')], {
    cwd: workspaceRoot,
    env: {
      ...process.env,
      FLOTILLA_MANAGEMENT_URL: management.url,
      ROUTER_PORT: String(options.routerPort),
      ROUTER_MAPPING_CACHE: join(runDir, 'router-mapping.json'),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanup.push('router', async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGTERM: in-flight batches finish, and a --cpu-prof profile is written on the way out.
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), ROUTER_STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  });
  if (child.pid === undefined) throw new Error('could not start the router');
  const readyUrl = `http://127.0.0.1:${options.routerPort}/readyz`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the router exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    if (await fetch(readyUrl).then((response) => response.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`the router was not ready at ${readyUrl} within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(200);
  }

  return {
    management,
    routerPid: child.pid,
    async sourceTopic(name, partitions) {
      await admin.topics.create.mutate({ name, tier: 'medium', partitions, cluster: FRONTING });
    },
    async consumerTopic(name, partitions) {
      // Management creates topics on fronting clusters; placing it adds the consumer cluster (and creates it there).
      await admin.topics.create.mutate({ name, tier: 'medium', partitions, cluster: FRONTING });
      await admin.topics.place.mutate({ name, producers: [CONSUMER], consumers: [CONSUMER], reason: 'router bench destination' });
    },
    async addRoute(definition) {
      await admin.routes.add.mutate({ definition });
    },
    async removeRoute(name) {
      await admin.routes.remove.mutate({ name });
    },
  };
}
