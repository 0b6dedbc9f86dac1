// Builds the Temporal worker for Flotilla's task queue; main.ts and the tests both use it.
import { NativeConnection, Worker } from '@temporalio/worker';
import { TASK_QUEUE, workflowsPath } from '@flotilla/workflows';
import type { Activities } from './activities';

export interface CreateWorkerOptions {
  address: string;
  namespace: string;
  activities: Activities;
  taskQueue?: string;
}

export async function createWorker(options: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: options.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue ?? TASK_QUEUE,
      workflowsPath,
      activities: options.activities,
    });
    return { worker, connection };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
