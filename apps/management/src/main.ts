// The management process: config, logger, then the service until SIGTERM/SIGINT.
import { loadConfig, prettyLogs } from '@flotilla/config';
import { createLogger } from '@flotilla/observability';
import { managementConfigSchema } from './config';
import { startManagement } from './start-management';

const config = loadConfig(managementConfigSchema);
const pretty = prettyLogs(config.LOG_FORMAT);
const logger = createLogger({ service: 'management', level: config.LOG_LEVEL, ...(pretty === undefined ? {} : { pretty }) });
const running = await startManagement(config, logger);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'stopping');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  });
}
