// The local platform in the foreground: the Kafka fleet, the Temporal dev server with its
// web UI, and each Flotilla app as it is built. Ctrl-C or SIGTERM stops everything in order
// (apps first, then Temporal and Kafka).
import { spawn, type ChildProcess } from 'node:child_process';
import { DEFAULT_FLEET, ensureKafkaJars, startFleet, type RunningFleet } from '@flotilla/local-kafka';
import { ensureTemporalCli, startTemporalServer, type TemporalServer } from '@flotilla/local-temporal';
import { stateDir, workspaceRoot } from '@flotilla/local-runtime';

const TEMPORAL_PORT = 7233;
const TEMPORAL_UI_PORT = 8233;
const MANAGEMENT_PORT = 7480;
const MANAGEMENT_URL = `http://127.0.0.1:${MANAGEMENT_PORT}`;
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

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (stopping) throw new Error('stopping');
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
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
  startApp('worker', 'apps/worker/src/main.ts', {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    FLOTILLA_MANAGEMENT_URL: MANAGEMENT_URL,
    FLOTILLA_MANAGEMENT_TOKEN_FILE: stateDir('admin-token'),
    LOG_LEVEL: 'warn',
  });
  // Management registers the local fleet on its first start (later starts find it registered).
  const seedClusters = fleet.clusters.map(({ spec, cluster }) => ({ name: spec.name, role: spec.role, tier: spec.tier ?? null, bootstrap: cluster.bootstrap }));
  startApp('management', 'apps/management/src/main.ts', {
    MANAGEMENT_PORT: String(MANAGEMENT_PORT),
    FLOTILLA_DB_DIR: stateDir('db'),
    FLOTILLA_ADMIN_TOKEN_FILE: stateDir('admin-token'),
    FLOTILLA_SEED_CLUSTERS: JSON.stringify(seedClusters),
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    LOG_LEVEL: 'warn',
  });
  say('waiting for the management service');
  await waitForHttp(`${MANAGEMENT_URL}/healthz`, 120_000);

  const rows = [
    ...fleet.clusters.map(({ spec, cluster }) => [`kafka ${spec.name}`, cluster.bootstrap.join(','), `${spec.role}${spec.tier ? `, tier ${spec.tier}` : ''}`]),
    ['temporal', temporal.address, `namespace ${temporal.namespace}`],
    ['temporal web UI', temporal.uiUrl ?? '-', ''],
    ['worker', `task queue flotilla-operations`, 'apps/worker'],
    ['management', MANAGEMENT_URL, `tRPC ${MANAGEMENT_URL}/trpc, mapping ${MANAGEMENT_URL}/v1/mapping/stream`],
    ['admin token', stateDir('admin-token'), 'used by `npm run flotilla -- <command>`'],
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
