// The worker process: config, logger, activities with their dependencies, then the worker
// until SIGTERM/SIGINT, which lets running activities finish before it exits.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig, prettyLogs } from '@flotilla/config';
import { connectAdmin } from '@flotilla/kafka';
import { createLogger } from '@flotilla/observability';
import { createActivities } from './activities';
import { workerConfigSchema } from './config';
import { createWorker } from './create-worker';
import { createManagementClient } from './management-client';

const config = loadConfig(workerConfigSchema);
const pretty = prettyLogs(config.LOG_FORMAT);
const logger = createLogger({ service: 'worker', level: config.LOG_LEVEL, ...(pretty === undefined ? {} : { pretty }) });
const sdkLog = logger.child({ component: 'temporal-sdk' });
// Workflows log each step of an operation at info (through the SDK's replay-aware logger); the
// SDK's own info lines (worker state changes) go to debug so the terminal shows operations.
const workflowLog = logger.child({ component: 'workflow' });
Runtime.install({
  logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
    const fromWorkflow = meta?.['sdkComponent'] === 'workflow';
    const method = level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : fromWorkflow ? 'info' : 'debug';
    (fromWorkflow ? workflowLog : sdkLog)[method](fromWorkflow ? { workflowId: meta?.['workflowId'] } : (meta ?? {}), message);
  }),
});

const { worker, connection } = await createWorker({
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  activities: createActivities({
    connectAdmin,
    logger: logger.child({ component: 'activities' }),
    management: createManagementClient(config.FLOTILLA_MANAGEMENT_URL, { value: config.FLOTILLA_MANAGEMENT_TOKEN, file: config.FLOTILLA_MANAGEMENT_TOKEN_FILE }),
  }),
});
// The SDK's worker drains on SIGTERM/SIGINT by itself (Worker shutdownSignals): running
// activities finish, then run() resolves.
logger.info({ temporal: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
await worker.run();
await connection.close();
logger.info('worker stopped');

