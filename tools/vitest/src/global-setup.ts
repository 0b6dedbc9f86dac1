// Starts the real platform once per `vitest --project int` run: the test fleet of Kafka
// clusters and a Temporal dev server, on ports 10000 above `npm start`'s so both can run on
// one machine. Everything started here is stopped in the teardown, which vitest runs also
// when tests fail; a run that was itself killed is cleaned up by the next one.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEFAULT_FLEET, shiftPorts, startFleet, stopLeftovers, type RunningFleet } from '@flotilla/local-kafka';
import { startTemporalServer, type TemporalServer } from '@flotilla/local-temporal';
import { ephemeralPortWarning, stateDir, stopProcess } from '@flotilla/local-runtime';
import type { TestPlatform } from './test-platform';

// FLOTILLA_TEST_PORT_OFFSET moves every port of a test run (Kafka and Temporal) so two runs,
// say a developer's and a fresh clone's, can share one machine.
const PORT_OFFSET = Number(process.env['FLOTILLA_TEST_PORT_OFFSET'] ?? 10_000);
const TEMPORAL_PORT = 7_233 + PORT_OFFSET;

const log = (line: string): void => {
  process.stderr.write(`[platform] ${line}\n`);
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A run on other ports keeps its own state, so it never stops another run's servers.
  const runDir = stateDir(PORT_OFFSET === 10_000 ? 'test-run' : `test-run-${PORT_OFFSET}`);
  // The default keeps every port (29092…29444) below the ephemeral range; say so when one does not.
  const warning = ephemeralPortWarning(PORT_OFFSET);
  if (warning) log(`warning: FLOTILLA_TEST_PORT_OFFSET: ${warning}`);
  await stopLeftovers(runDir);
  await stopTemporalLeftover(runDir);
  // Fresh data every run: a test must never pass because of what an earlier run left.
  rmSync(runDir, { recursive: true, force: true });

  const t0 = Date.now();
  let fleet: RunningFleet | undefined;
  let temporal: TemporalServer | undefined;
  const teardown = async (): Promise<void> => {
    log('stopping the test platform');
    await Promise.all([fleet?.stop(), temporal?.stop()]);
  };
  // Each start records what it started as soon as it has it: when one fails, the other may
  // already be running and must still be stopped.
  const starts = [
    startFleet(shiftPorts(DEFAULT_FLEET, PORT_OFFSET), { runDir, progress: log, heapMb: 384 }).then((started) => {
      fleet = started;
    }),
    startTemporalServer({ port: TEMPORAL_PORT, runDir }).then((server) => {
      temporal = server;
      log(`Temporal dev server ready at ${server.address}`);
    }),
  ];
  try {
    await Promise.all(starts);
  } catch (error) {
    await Promise.allSettled(starts);
    await teardown();
    throw error;
  }
  if (!fleet || !temporal) throw new Error('the test platform did not start');
  log(`test platform up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const platform: TestPlatform = {
    runDir,
    portOffset: PORT_OFFSET,
    clusters: fleet.clusters.map(({ spec, cluster }) => ({
      name: spec.name,
      role: spec.role,
      bootstrap: [...cluster.bootstrap],
      saslBootstrap: [...cluster.saslBootstrap],
    })),
    temporal: { address: temporal.address, namespace: temporal.namespace },
  };
  project.provide('platform', platform);
  return teardown;
}

function stopTemporalLeftover(runDir: string): Promise<void> {
  return stopProcess(join(runDir, 'temporal', 'pid'));
}
