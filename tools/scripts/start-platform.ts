// The local platform in the foreground: the Kafka fleet, the Temporal dev server with its
// web UI, and each Flotilla app as it is built. Ctrl-C or SIGTERM stops everything in order
// (apps first, then Temporal and Kafka).
import { spawn, type ChildProcess } from 'node:child_process';
import { DEFAULT_FLEET, ensureKafkaJars, startFleet, type RunningFleet } from '@flotilla/local-kafka';
import { ensureTemporalCli, startTemporalServer, type TemporalServer } from '@flotilla/local-temporal';
import { stateDir, workspaceRoot } from '@flotilla/local-runtime';

const TEMPORAL_PORT = 7233;
const TEMPORAL_UI_PORT = 8233;
const runDir = stateDir('run');
const say = (line: string): void => {
  process.stdout.write(`\x1b[36m==>\x1b[0m ${line}\n`);
};

let fleet: RunningFleet | undefined;
let temporal: TemporalServer | undefined;
const apps: { name: string; child: ChildProcess }[] = [];
let stopping = false;

async function shutdown(code: number): Promise<void> {
  // A terminal's Ctrl-C reaches this process both directly and through npm; stop once.
  if (stopping) return;
  stopping = true;
  say('stopping the platform');
  await Promise.all(
    apps.map(
      ({ name, child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          say(`stopping ${name}`);
        }),
    ),
  );
  await Promise.all([fleet?.stop(), temporal?.stop()]);
  say('stopped');
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void shutdown(0));

function startApp(name: string, entry: string, env: Record<string, string>): void {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: workspaceRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  apps.push({ name, child });
  child.on('close', (code) => {
    if (!stopping) {
      say(`${name} exited with code ${code}; stopping the platform`);
      void shutdown(1);
    }
  });
}

try {
  say('preparing Kafka and Temporal (downloads only on the first run)');
  await Promise.all([ensureKafkaJars(say), ensureTemporalCli(say)]);
  say('starting the local fleet and the Temporal dev server');
  [fleet, temporal] = await Promise.all([
    startFleet(DEFAULT_FLEET, { runDir, progress: say }),
    startTemporalServer({ port: TEMPORAL_PORT, uiPort: TEMPORAL_UI_PORT, runDir }).then((server) => {
      say(`Temporal dev server ready at ${server.address}`);
      return server;
    }),
  ]);
  startApp('worker', 'apps/worker/src/main.ts', { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, LOG_LEVEL: 'warn' });

  const rows = [
    ...fleet.clusters.map(({ spec, cluster }) => [`kafka ${spec.name}`, cluster.bootstrap.join(','), `${spec.role}${spec.tier ? `, tier ${spec.tier}` : ''}`]),
    ['temporal', temporal.address, `namespace ${temporal.namespace}`],
    ['temporal web UI', temporal.uiUrl ?? '-', ''],
    ['worker', `task queue flotilla-operations`, 'apps/worker'],
    ['data and logs', runDir, ''],
  ];
  const width = Math.max(...rows.map((r) => r[0]!.length));
  const addrWidth = Math.max(...rows.map((r) => r[1]!.length));
  process.stdout.write('\nFlotilla is up:\n');
  for (const [name, address, note] of rows) process.stdout.write(`  ${name!.padEnd(width)}  ${address!.padEnd(addrWidth)}  ${note}\n`);
  process.stdout.write('\nPress Ctrl-C to stop everything.\n\n');
} catch (error) {
  process.stderr.write(`\nnpm start failed: ${(error as Error).message}\n`);
  await shutdown(1);
}
