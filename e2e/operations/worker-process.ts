// The worker as a real child process on a test's task queue (so a test can kill -9 it), for every
// end-to-end platform whose management starts operations.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const workerMain = fileURLToPath(new URL('../../apps/worker/src/main.ts', import.meta.url));

export interface WorkerProcess {
  /** SIGKILL: the worker dies mid-activity, as a crashed machine would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  readonly temporal: { readonly address: string; readonly namespace: string };
  readonly taskQueue: string;
  readonly managementUrl: string;
  /** An operator or admin token: the activities change the registry through management. */
  readonly managementToken: string;
  /** Told when the worker ends, whatever ended it. */
  readonly onExit?: (worker: WorkerProcess) => void;
}

export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerMain], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.temporal.address,
      TEMPORAL_NAMESPACE: options.temporal.namespace,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      FLOTILLA_MANAGEMENT_URL: options.managementUrl,
      FLOTILLA_MANAGEMENT_TOKEN: options.managementToken,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    options.onExit?.(worker);
  };
  const worker: WorkerProcess = { kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
  await waitForWorker(child);
  return worker;
}

/** The worker logs nothing at level error when healthy; give it time to bundle workflows and poll. */
async function waitForWorker(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the worker exited with code ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
