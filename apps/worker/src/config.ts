import { z } from 'zod';
import { logLevelVar } from '@flotilla/config';

export const workerConfigSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  LOG_LEVEL: logLevelVar,
});

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
