// The local platform in the foreground, supervised: the Kafka fleet, the Temporal dev server
// with its web UI, the worker, the management service, a router and the HTTP proxy. A component that dies is restarted
// with backoff (a Kafka cluster on its data); one that cannot be, or one stopped on purpose,
// stops everything. Ctrl-C, SIGTERM, SIGHUP, `npm stop` or the death of the parent process
// stop everything in order (apps first, then Temporal and Kafka); if this process is killed
// outright, a watchdog process (platform-reaper.mjs) stops what it leaves.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_FLEET, clusterExists, ensureKafkaJars, openCluster, shiftPorts, startCluster, type FleetMemberSpec } from '@flotilla/local-kafka';
import { ensureTemporalCli, startTemporalServer } from '@flotilla/local-temporal';
import {
  claimRunDir,
  ephemeralPortWarning,
  isAlive,
  killProcess,
  platformPortOffset,
  platformRunDir,
  readPid,
  releaseRunDir,
  serveControl,
  stateDir,
  stopProcess,
  stopProcessesUnder,
  StopWaiting,
  Supervisor,
  waitFor,
  workspaceRoot,
  type ControlRequest,
  type ControlResponse,
  type ProcessExit,
  type SupervisedComponent,
} from '@flotilla/local-runtime';

const offset = platformPortOffset();
const runDir = platformRunDir(offset);
const TEMPORAL_PORT = 7233 + offset;
const TEMPORAL_UI_PORT = 8233 + offset;
const MANAGEMENT_PORT = 7480 + offset;
const MANAGEMENT_URL = `http://127.0.0.1:${MANAGEMENT_PORT}`;
const ROUTER_PORT = 7490 + offset;
const ROUTER_URL = `http://127.0.0.1:${ROUTER_PORT}`;
const PROXY_PORT = 7500 + offset;
const PROXY_URL = `http://127.0.0.1:${PROXY_PORT}`;
// The developer's platform keeps its database and token where the README and the CLI look;
// a platform on other ports (a test's) keeps its own inside its run directory.
const dbDir = offset === 0 ? stateDir('db') : join(runDir, 'db');
const adminTokenFile = offset === 0 ? stateDir('admin-token') : join(runDir, 'admin-token');
// Kept with the database it belongs to: applications' Kafka passwords derive from it.
const secretKeyFile = offset === 0 ? stateDir('secret-key') : join(runDir, 'secret-key');
// Management keeps a data-plane token for the router here (no management role: it only heartbeats).
const routerTokenFile = offset === 0 ? stateDir('router-token') : join(runDir, 'router-token');
const heapMb = Number(process.env['FLOTILLA_KAFKA_HEAP_MB'] ?? 512);
const fleet = shiftPorts(DEFAULT_FLEET, offset);

// The terminal may be gone (a closed window, a CI runner's pipe): shutdown must still run.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
const say = (line: string): void => {
  process.stdout.write(`\x1b[36m==>\x1b[0m ${line}\n`);
};

let exiting: Promise<never> | undefined;
const supervisor = new Supervisor({ say, onFatal: () => void shutdown(1) });
let reaper: ChildProcess | undefined;

function shutdown(code: number): Promise<never> {
  // A terminal's Ctrl-C reaches this process both directly and through npm; stop once.
  exiting ??= (async () => {
    say('stopping the platform');
    await supervisor.stopAll().catch((error: unknown) => say(`stopping failed: ${(error as Error).message}`));
    // Whatever a failed stop left (and any process of an app's group) goes too.
    await stopProcessesUnder(runDir, 5_000);
    releaseRunDir(runDir);
    say('stopped');
    process.exit(code);
  })();
  return exiting;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (exiting) say(`${sig}: already stopping`);
    void shutdown(0);
  });
}

// Orphaned (npm or a test runner killed outright): the platform goes with its parent.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && !exiting) {
    say(`the parent process (pid ${parentPid}) is gone`);
    void shutdown(1);
  }
}, 1_000).unref();

function kafkaComponent(spec: FleetMemberSpec): SupervisedComponent {
  const cluster = () => (clusterExists(runDir, spec.name) ? openCluster(runDir, spec.name) : undefined);
  return {
    name: spec.name,
    kind: 'kafka',
    address: Array.from({ length: spec.brokers }, (_, i) => `127.0.0.1:${spec.basePort + i}`).join(','),
    async start() {
      await startCluster({
        name: spec.name,
        brokers: spec.brokers,
        basePort: spec.basePort,
        runDir,
        heapMb,
        onBrokerExit: (exit) => supervisor.exited(spec.name, exit),
      });
    },
    stop: async () => cluster()?.stop(),
    kill: async () => cluster()?.kill(),
    isRunning: () => cluster()?.isRunning() ?? false,
    pids: () => cluster()?.pids() ?? [],
  };
}

/** A component whose process is known by a pid file (a Temporal server, an app). */
function byPidFile(pidFile: string): Pick<SupervisedComponent, 'stop' | 'kill' | 'isRunning' | 'pids'> {
  return {
    stop: () => stopProcess(pidFile, 15_000),
    kill: () => killProcess(pidFile),
    isRunning: () => {
      const pid = readPid(pidFile);
      return pid !== undefined && isAlive(pid);
    },
    pids: () => {
      const pid = readPid(pidFile);
      return pid === undefined ? [] : [pid];
    },
  };
}

function temporalComponent(): SupervisedComponent {
  return {
    name: 'temporal',
    kind: 'temporal',
    address: `127.0.0.1:${TEMPORAL_PORT}`,
    async start() {
      await startTemporalServer({ port: TEMPORAL_PORT, uiPort: TEMPORAL_UI_PORT, runDir, onExit: (exit) => supervisor.exited('temporal', exit) });
    },
    ...byPidFile(join(runDir, 'temporal', 'pid')),
  };
}

interface AppSpec {
  name: string;
  entry: string;
  address: string;
  env: Record<string, string>;
  /** Resolves true once the app serves; apps without one count as up when spawned. */
  ready?: () => Promise<boolean>;
}

function appComponent(app: AppSpec): SupervisedComponent {
  const pidFile = join(runDir, app.name, 'pid');
  const pidControl = byPidFile(pidFile);
  return {
    name: app.name,
    kind: 'app',
    address: app.address,
    async start() {
      // Its own process group: Ctrl-C in the terminal reaches the supervisor, which stops
      // the apps before the servers they use, and a stop signals the app's whole group.
      const child = spawn(process.execPath, ['--import', 'tsx', app.entry], {
        cwd: workspaceRoot,
        env: { ...process.env, ...app.env },
        stdio: ['ignore', 'inherit', 'inherit'],
        detached: true,
      });
      const pid = child.pid;
      if (pid === undefined) throw new Error(`could not start ${app.name}`);
      let exit: ProcessExit | undefined;
      child.once('exit', (code, signal) => {
        exit = { pid, code, signal };
        supervisor.exited(app.name, exit);
      });
      mkdirSync(join(runDir, app.name), { recursive: true });
      writeFileSync(pidFile, String(pid));
      const ready = app.ready;
      if (!ready) return;
      await waitFor(
        async () => {
          if (exit) throw new StopWaiting(`${app.name} exited during start-up (${exit.signal ?? `exit code ${exit.code}`})`);
          return (await ready()) || undefined;
        },
        { timeoutMs: 120_000, intervalMs: 250, what: `${app.name} at ${app.address}` },
      );
    },
    ...pidControl,
  };
}

function startReaper(): void {
  // A separate, detached process that outlives this one: when this process dies without
  // stopping the platform (kill -9), the pipe to the reaper closes and it stops what is left.
  reaper = spawn(process.execPath, [join(workspaceRoot, 'tools', 'scripts', 'platform-reaper.mjs'), runDir, String(process.pid)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  reaper.unref();
  (reaper.stdin as Socket | null)?.unref();
}

async function control(request: ControlRequest): Promise<ControlResponse> {
  switch (request.cmd) {
    case 'status':
      return { ok: true, components: supervisor.status() };
    case 'restart':
      await supervisor.restart(request.name);
      return { ok: true, message: `${request.name} restarted` };
    case 'hold':
      await supervisor.hold(request.name, request.how);
      return { ok: true, message: `${request.name} ${request.how === 'kill' ? 'killed (SIGKILL)' : 'stopped'}; it stays down until \`restart\`` };
    case 'stop':
      setImmediate(() => void shutdown(0));
      return { ok: true, message: 'stopping the platform' };
    default:
      return { ok: false, error: `unknown request ${JSON.stringify(request)}` };
  }
}

try {
  claimRunDir(runDir, { pid: process.pid, portOffset: offset, managementUrl: MANAGEMENT_URL, startedAt: new Date().toISOString() });
  startReaper();
  const warning = ephemeralPortWarning(offset);
  if (warning) say(`warning: ${warning}`);
  const leftovers = await stopProcessesUnder(runDir);
  if (leftovers > 0) say(`stopped ${leftovers} process(es) an earlier run left in ${runDir}`);
  say('preparing Kafka and Temporal (downloads only on the first run)');
  await Promise.all([ensureKafkaJars(say), ensureTemporalCli(say)]);
  say('starting the local fleet and the Temporal dev server');
  await supervisor.startStage([...fleet.map(kafkaComponent), temporalComponent()]);
  say('starting the worker and the management service');
  const temporalEnv = { TEMPORAL_ADDRESS: `127.0.0.1:${TEMPORAL_PORT}`, TEMPORAL_NAMESPACE: 'default' };
  // Management registers the local fleet on its first start (later starts find it registered).
  const seedClusters = fleet.map((spec) => {
    const cluster = openCluster(runDir, spec.name);
    // saslBootstrap: the CLIENT listener, where applications with a Kafka credential connect.
    return { name: spec.name, role: spec.role, tier: spec.tier ?? null, bootstrap: [...cluster.bootstrap], saslBootstrap: [...cluster.saslBootstrap] };
  });
  await supervisor.startStage([
    appComponent({
      name: 'worker',
      entry: 'apps/worker/src/main.ts',
      address: 'task queue flotilla-operations',
      env: { ...temporalEnv, FLOTILLA_MANAGEMENT_URL: MANAGEMENT_URL, FLOTILLA_MANAGEMENT_TOKEN_FILE: adminTokenFile, LOG_LEVEL: 'info' },
    }),
    appComponent({
      name: 'management',
      entry: 'apps/management/src/main.ts',
      address: MANAGEMENT_URL,
      env: {
        ...temporalEnv,
        MANAGEMENT_PORT: String(MANAGEMENT_PORT),
        FLOTILLA_DB_DIR: dbDir,
        FLOTILLA_ADMIN_TOKEN_FILE: adminTokenFile,
        FLOTILLA_ROUTER_TOKEN_FILE: routerTokenFile,
        FLOTILLA_SEED_CLUSTERS: JSON.stringify(seedClusters),
        // The fleet's clusters enforce applications' policies on their SASL listener.
        FLOTILLA_BROKER_SYNC: 'on',
        FLOTILLA_SECRET_KEY_FILE: secretKeyFile,
        LOG_LEVEL: 'info',
      },
      ready: () => fetch(`${MANAGEMENT_URL}/healthz`).then((response) => response.ok, () => false),
    }),
  ]);
  // The router and the proxy follow management's mapping (and route set, access set), so they
  // start once management answers.
  say('starting the router and the HTTP proxy');
  await supervisor.startStage([
    appComponent({
      name: 'proxy',
      entry: 'apps/proxy/src/main.ts',
      address: PROXY_URL,
      env: { FLOTILLA_MANAGEMENT_URL: MANAGEMENT_URL, FLOTILLA_PROXY_TOKEN_FILE: adminTokenFile, PROXY_PORT: String(PROXY_PORT), PROXY_MAPPING_CACHE: join(runDir, 'proxy-mapping.json'), LOG_LEVEL: 'info' },
      ready: () => fetch(`${PROXY_URL}/healthz`).then((response) => response.ok, () => false),
    }),
    appComponent({
      name: 'router',
      entry: 'apps/router/src/main.ts',
      address: ROUTER_URL,
      env: {
        FLOTILLA_MANAGEMENT_URL: MANAGEMENT_URL,
        FLOTILLA_ROUTER_TOKEN_FILE: routerTokenFile,
        ROUTER_PORT: String(ROUTER_PORT),
        ROUTER_MAPPING_CACHE: join(runDir, 'router-mapping.json'),
        LOG_LEVEL: 'info',
      },
      ready: () => fetch(`${ROUTER_URL}/healthz`).then((response) => response.ok, () => false),
    }),
  ]);
  supervisor.watch();
  await serveControl(runDir, control);
  printAddresses();
} catch (error) {
  process.stderr.write(`\nnpm start failed: ${(error as Error).message}\n`);
  await shutdown(1);
}

function printAddresses(): void {
  const rows = [
    ...fleet.map((spec) => [
      `kafka ${spec.name}`,
      `127.0.0.1:${spec.basePort}`,
      `${spec.role}${spec.tier ? `, tier ${spec.tier}` : ''}; applications (SASL/SCRAM-SHA-512) at ${openCluster(runDir, spec.name).saslBootstrap.join(',')}`,
    ]),
    ['temporal', `127.0.0.1:${TEMPORAL_PORT}`, 'namespace default'],
    ['temporal web UI', `http://127.0.0.1:${TEMPORAL_UI_PORT}`, ''],
    ['worker', 'task queue flotilla-operations', 'apps/worker'],
    ['management', MANAGEMENT_URL, `tRPC ${MANAGEMENT_URL}/trpc, mapping ${MANAGEMENT_URL}/v1/mapping/stream`],
    ['router', ROUTER_URL, 'routes from `npm run flotilla -- routes add`; /metrics, /readyz'],
    ['http proxy', PROXY_URL, 'POST /v1/topics/<topic>/records with a Bearer token; /openapi.json'],
    ['admin token', adminTokenFile, 'used by `npm run flotilla -- <command>`'],
    ['data and logs', runDir, ''],
  ];
  const width = Math.max(...rows.map((r) => r[0]!.length));
  const addrWidth = Math.max(...rows.map((r) => r[1]!.length));
  process.stdout.write('\nFlotilla is up:\n');
  for (const [name, address, note] of rows) process.stdout.write(`  ${name!.padEnd(width)}  ${address!.padEnd(addrWidth)}  ${note}\n`);
  const env = offset === 0 ? '' : `FLOTILLA_PORT_OFFSET=${offset} `;
  process.stdout.write(
    `\nPress Ctrl-C (or run \`${env}npm stop\`) to stop everything; \`${env}npm run platform -- status|restart <component>\` from another terminal.\n\n`,
  );
}
