// The real control plane a topic move runs on, for a benchmark: a Temporal dev server, the
// management service in this process (PGlite in the run directory) starting workflows on it, and
// the worker as a child process (`apps/worker/src/main.ts`), as in e2e/operations but without the
// test harness. Every part goes onto the caller's cleanup stack as soon as it runs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppRouter } from '@flotilla/api';
import { startTemporalServer } from '@flotilla/local-temporal';
import { managementConfigSchema, startManagement } from '@flotilla/management';
import { createLogger } from '@flotilla/observability';
import { Client, Connection } from '@temporalio/client';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { spawnApp } from './app-process';
import type { CleanupStack } from './cleanup-stack';

export interface MovePlatform {
  /** tRPC client with the admin token. */
  readonly admin: TRPCClient<AppRouter>;
  /** A Temporal client of its own, to read workflow histories. */
  readonly temporal: Client;
}

export interface MovePlatformOptions {
  runDir: string;
  temporalPort: number;
  taskQueue: string;
  cleanup: CleanupStack;
  progress: (line: string) => void;
}

const WORKER_STOP_GRACE_MS = 15_000;

export async function startMovePlatform(options: MovePlatformOptions): Promise<MovePlatform> {
  const { runDir, cleanup, progress } = options;
  mkdirSync(runDir, { recursive: true });
  progress(`starting the Temporal dev server on port ${options.temporalPort}`);
  const temporalServer = await startTemporalServer({ port: options.temporalPort, runDir });
  cleanup.push('Temporal dev server', () => temporalServer.stop());

  const config = managementConfigSchema.parse({
    // The schema wants a real port; the start below asks for a free one instead.
    MANAGEMENT_PORT: '1',
    FLOTILLA_DB_DIR: join(runDir, 'db'),
    FLOTILLA_ADMIN_TOKEN_FILE: join(runDir, 'admin-token'),
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_NAMESPACE: temporalServer.namespace,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    LOG_LEVEL: 'warn',
  });
  const logger = createLogger({ service: 'bench-move', level: config.LOG_LEVEL, destination: process.stderr });
  progress('starting management (PGlite in the run directory)');
  const management = await startManagement({ ...config, MANAGEMENT_PORT: 0 }, logger);
  cleanup.push('management', () => management.stop());

  const connection = await Connection.connect({ address: temporalServer.address });
  cleanup.push('Temporal client', () => connection.close());
  const temporal = new Client({ connection, namespace: temporalServer.namespace });

  progress('starting the worker (apps/worker/src/main.ts)');
  // SIGTERM lets running activities finish; a worker that hangs is killed.
  spawnApp({
    app: 'worker',
    env: {
      TEMPORAL_ADDRESS: temporalServer.address,
      TEMPORAL_NAMESPACE: temporalServer.namespace,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      FLOTILLA_MANAGEMENT_URL: management.url,
      FLOTILLA_MANAGEMENT_TOKEN: management.adminToken,
      LOG_LEVEL: 'error',
    },
    stopGraceMs: WORKER_STOP_GRACE_MS,
    cleanup,
  });

  const admin = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${management.url}/trpc`, headers: () => ({ authorization: `Bearer ${management.adminToken}` }) })],
  });
  return { admin, temporal };
}
