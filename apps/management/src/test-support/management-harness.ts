// Starts the real management service in-process for a test: real database (a fresh PGlite directory, or a
// fresh PostgreSQL database when FLOTILLA_TEST_DATABASE_URL is set), real Kafka fleet from the
// test platform, a free port. `restart()` stops and starts it on the same data, as an operator's
// restart would. Everything it starts is stopped by `stop()`, which tests call in afterAll/afterEach.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRouter } from '@flotilla/api';
import { createScratchDatabase } from '@flotilla/db';
import { createLogger, type Logger } from '@flotilla/observability';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { managementConfigSchema } from '../config';
import { startManagement, type RunningManagement } from '../start-management';

export type Dialect = 'pglite' | 'postgres';

export interface ManagementHarness {
  readonly url: string;
  readonly adminToken: string;
  readonly running: RunningManagement;
  /** A tRPC client sending `token` (none: anonymous). */
  client(token?: string): TRPCClient<AppRouter>;
  admin(): TRPCClient<AppRouter>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const postgresUrl = process.env['FLOTILLA_TEST_DATABASE_URL'];

export interface HarnessOptions {
  /** Where management logs; by default warnings and worse to stdout. Tests that read the log pass their own. */
  readonly logger?: Logger;
}

export async function startManagementHarness(dialect: Dialect, env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<ManagementHarness> {
  const root = await mkdtemp(join(tmpdir(), 'flotilla-management-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async (): Promise<void> => {};
  if (dialect === 'postgres') {
    if (!postgresUrl) throw new Error('FLOTILLA_TEST_DATABASE_URL is not set');
    const scratch = await createScratchDatabase(postgresUrl, 'flotilla_mgmt');
    databaseUrl = scratch.url;
    dropDatabase = () => scratch.drop();
  }
  const config = managementConfigSchema.parse({
    MANAGEMENT_PORT: '1',
    FLOTILLA_DB_DIR: join(root, 'db'),
    FLOTILLA_ADMIN_TOKEN_FILE: join(root, 'admin-token'),
    FLOTILLA_SECRET_KEY_FILE: join(root, 'secret-key'),
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const logger = options.logger ?? createLogger({ service: 'management-test', level: 'warn' });
  // Port 0 (free port) on the first start; a restart comes back on the same port, as clients expect.
  let running = await startManagement({ ...config, MANAGEMENT_PORT: 0 }, logger);
  const port = Number(new URL(running.url).port);

  const client = (token?: string): TRPCClient<AppRouter> =>
    createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${running.url}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
    });

  return {
    get url() {
      return running.url;
    },
    get adminToken() {
      return running.adminToken;
    },
    get running() {
      return running;
    },
    client,
    admin: () => client(running.adminToken),
    async restart() {
      await running.stop();
      running = await startManagement({ ...config, MANAGEMENT_PORT: port }, logger);
    },
    async stop() {
      await running.stop();
      await dropDatabase();
      await rm(root, { recursive: true, force: true });
    },
  };
}
