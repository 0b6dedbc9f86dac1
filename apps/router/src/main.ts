// The router process: config, logger, then routes until SIGTERM/SIGINT, which stops every route
// (in-flight batches finish and are committed) before it exits.
import { loadConfig, prettyLogs } from '@flotilla/config';
import { createLogger } from '@flotilla/observability';
import { routerConfigSchema } from './config';
import { startRouter } from './start-router';

const config = loadConfig(routerConfigSchema);
const pretty = prettyLogs(config.LOG_FORMAT);
const logger = createLogger({ service: 'router', level: config.LOG_LEVEL, ...(pretty === undefined ? {} : { pretty }) });

const running = await startRouter(config, logger);
logger.info({ url: running.url, management: config.FLOTILLA_MANAGEMENT_URL }, 'router running');

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'router stopping');
  running.stop().then(
    () => {
      logger.info('router stopped');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ reason: error instanceof Error ? error.message : String(error) }, 'router stop failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
