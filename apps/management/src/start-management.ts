// Builds and starts the whole management service from its config: database (migrated), services,
// the mapping, route set and access set feeds, first-start work, HTTP server. main.ts runs it until
// a signal; tests and `npm start` use the same function, so what they test is what runs.
import { BrokerSync, createVersionFeed, ensureAccessSet, type ApiServices } from '@flotilla/api';
import { readFile } from 'node:fs/promises';
import { createDb, createRegistry, describeDatabase, migrate } from '@flotilla/db';
import { ValidationError } from '@flotilla/errors';
import { connectAdmin, scramSecret } from '@flotilla/kafka';
import { createMetricsRegistry, type Logger } from '@flotilla/observability';
import type { ManagementConfig } from './config';
import { createManagementServer, type ManagementServer } from './create-server';
import { ensureAdminToken, ensureRouterToken, ensureSecretKey, parseSeedClusters, registerSeedClusters } from './first-start';
import { logOperations } from './log-operations';
import { connectTemporalOperations } from './temporal-operations';

export interface RunningManagement {
  readonly url: string;
  readonly server: ManagementServer;
  readonly services: ApiServices;
  /** The admin token from FLOTILLA_ADMIN_TOKEN_FILE (issued on this start or an earlier one). */
  readonly adminToken: string;
  stop(): Promise<void>;
}

export async function startManagement(config: ManagementConfig, logger: Logger): Promise<RunningManagement> {
  const dbOptions = config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.FLOTILLA_DB_DIR };
  const handle = await createDb(dbOptions);
  const cleanups: (() => Promise<void> | void)[] = [() => handle.close()];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const migrated = await migrate(handle);
    logger.info({ database: describeDatabase(dbOptions), applied: migrated.applied }, 'database ready');
    const registry = createRegistry(handle.db);
    const mappingFeed = createVersionFeed({ versions: registry.mapping, what: 'mapping', logger: logger.child({ component: 'mapping-feed' }) });
    await mappingFeed.start();
    cleanups.push(() => mappingFeed.stop());
    const routeSetFeed = createVersionFeed({ versions: registry.routes, what: 'route set', logger: logger.child({ component: 'route-set-feed' }) });
    await routeSetFeed.start();
    cleanups.push(() => routeSetFeed.stop());
    const accessSetFeed = createVersionFeed({ versions: registry.access, what: 'access set', logger: logger.child({ component: 'access-set-feed' }) });
    await accessSetFeed.start();
    cleanups.push(() => accessSetFeed.stop());
    const temporal = config.TEMPORAL_ADDRESS ? await connectTemporalOperations(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE) : undefined;
    if (temporal) cleanups.push(() => temporal.close());
    const operations = temporal && logOperations(temporal, logger.child({ component: 'operations' }));
    const connectKafka = (bootstrap: readonly string[]) => connectAdmin({ bootstrap, clientId: 'flotilla-management' });
    let brokers: { brokerSync: BrokerSync; secretKey: Buffer } | undefined;
    if (config.FLOTILLA_BROKER_SYNC === 'on') {
      const secret = await ensureSecretKey(config.FLOTILLA_SECRET_KEY_FILE);
      if (secret.created) logger.info({ file: config.FLOTILLA_SECRET_KEY_FILE }, 'made the secret key Kafka passwords derive from');
      const brokerSync = new BrokerSync({
        db: handle.db,
        connect: connectKafka,
        secretKey: secret.key,
        scramSecret,
        logger: logger.child({ component: 'broker-sync' }),
        intervalMs: config.FLOTILLA_BROKER_SYNC_INTERVAL_MS,
      });
      cleanups.push(() => brokerSync.stop());
      brokers = { brokerSync, secretKey: secret.key };
    }
    const services: ApiServices = {
      operations,
      db: handle.db,
      ...brokers,
      connectKafka,
      mappingFeed,
      routeSetFeed,
      accessSetFeed,
      logger,
      defaultCapacityPerBrokerBytesPerSec: config.FLOTILLA_CAPACITY_PER_BROKER,
    };
    const { token, issued } = await ensureAdminToken(services, config.FLOTILLA_ADMIN_TOKEN_FILE);
    if (issued) logger.info({ file: config.FLOTILLA_ADMIN_TOKEN_FILE }, 'issued an admin API token');
    if (config.FLOTILLA_ROUTER_TOKEN_FILE !== undefined && (await ensureRouterToken(services, config.FLOTILLA_ROUTER_TOKEN_FILE)).issued) {
      logger.info({ file: config.FLOTILLA_ROUTER_TOKEN_FILE }, 'issued a router API token');
    }
    // After the start-up tokens, so the first access set a proxy gets already holds them.
    if (await ensureAccessSet(handle.db, 'system/management')) await accessSetFeed.refresh();
    await registerSeedClusters(services, parseSeedClusters(config.FLOTILLA_SEED_CLUSTERS), (line) => logger.info(line));
    // After the seed clusters are registered, so the first run reaches them.
    brokers?.brokerSync.start();
    const metrics = createMetricsRegistry('management');
    const tls = await readTls(config);
    const server = await createManagementServer({ services, metrics, host: config.MANAGEMENT_HOST, port: config.MANAGEMENT_PORT, tls });
    cleanups.push(() => server.close());
    logger.info({ url: server.url, mappingVersion: mappingFeed.current()?.version ?? null }, 'management listening');
    return { url: server.url, server, services, adminToken: token, stop };
  } catch (error: unknown) {
    await stop();
    throw error;
  }
}

async function readTls(config: ManagementConfig): Promise<{ cert: string; key: string; ca: string | undefined } | undefined> {
  if (!config.MANAGEMENT_TLS_CERT && !config.MANAGEMENT_TLS_KEY) return undefined;
  if (!config.MANAGEMENT_TLS_CERT || !config.MANAGEMENT_TLS_KEY) {
    throw new ValidationError('invalid configuration: MANAGEMENT_TLS_CERT and MANAGEMENT_TLS_KEY go together; set both or neither');
  }
  const read = (file: string, name: string) =>
    readFile(file, 'utf8').catch((error: unknown) => {
      throw new ValidationError(`invalid configuration: ${name}=${file}: ${error instanceof Error ? error.message : String(error)}`);
    });
  return {
    cert: await read(config.MANAGEMENT_TLS_CERT, 'MANAGEMENT_TLS_CERT'),
    key: await read(config.MANAGEMENT_TLS_KEY, 'MANAGEMENT_TLS_KEY'),
    ca: config.MANAGEMENT_TLS_CA ? await read(config.MANAGEMENT_TLS_CA, 'MANAGEMENT_TLS_CA') : undefined,
  };
}
