// The proxy process: config, logger, then serving until SIGTERM/SIGINT, which stops taking
// requests and waits for every record taken to be written before it exits.
import { loadConfig, prettyLogs } from '@flotilla/config';
import { createLogger } from '@flotilla/observability';
import { proxyConfigSchema } from './config';
import { startProxy } from './start-proxy';

const config = loadConfig(proxyConfigSchema);
const pretty = prettyLogs(config.LOG_FORMAT);
const logger = createLogger({ service: 'proxy', level: config.LOG_LEVEL, ...(pretty === undefined ? {} : { pretty }) });

const running = await startProxy(config, logger);
logger.info({ url: running.url, management: config.FLOTILLA_MANAGEMENT_URL }, 'proxy listening');

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'proxy stopping');
  running.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ reason: error instanceof Error ? error.message : String(error) }, 'proxy stop failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
