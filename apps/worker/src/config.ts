import { z } from 'zod';
import { logFormatVar, logLevelVar } from '@flotilla/config';

export const workerConfigSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('flotilla-operations'),
  /** The management service the operation activities change the registry through. */
  FLOTILLA_MANAGEMENT_URL: z.string().url().default('http://127.0.0.1:7480'),
  /** An operator (or admin) API token, or a file holding one (read when first needed). */
  FLOTILLA_MANAGEMENT_TOKEN: z.string().optional(),
  FLOTILLA_MANAGEMENT_TOKEN_FILE: z.string().default('.flotilla/admin-token'),
  LOG_LEVEL: logLevelVar,
  LOG_FORMAT: logFormatVar,
});

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
