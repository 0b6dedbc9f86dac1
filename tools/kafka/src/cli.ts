// `npm run kafka -- <command>`: the local Kafka clusters by name. A name is looked up among
// `npm start`'s fleet first (its run directory; FLOTILLA_PORT_OFFSET picks which platform),
// then among the clusters started by hand under .flotilla/manual. While `npm start` runs, its
// clusters are changed through its supervisor, so it neither fights a kill nor misses a restart.
//   status                                        every cluster of both and its state
//   kill <name> | stop <name>                     SIGKILL (a crash, for fault tests) | graceful stop
//   restart <name>                                start again on the same data (stopped first if running)
//   start <name> [--brokers 1|3] [--port N]       start a cluster by hand (new, or stopped, on its data)
//   fetch                                         download the jars only
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  EPHEMERAL_PORT_START,
  platformRunDir,
  runningPlatform,
  sendControl,
  stateDir,
  workspaceRoot,
  type ComponentStatus,
  type ControlRequest,
} from '@flotilla/local-runtime';
import { DEFAULT_FLEET } from './fleet';
import { ensureKafkaJars } from './kafka-jars';
import { clusterBasePort, clusterExists, clusterNames, openCluster, startCluster } from './kafka-cluster';

const USAGE = 'usage: npm run kafka -- <status | kill | stop | restart | start | fetch> [name] [--brokers 1|3] [--port N]';
/** Clusters started by hand, 100 ports apart: below the ephemeral range, clear of npm start (19092…), tests (29092…) and the benches. */
const MANUAL_BASE_PORT = 23_092;
const MANUAL_PORT_STEP = 100;

const platformDir = platformRunDir();
const manualDir = stateDir('manual');
const where = (dir: string): string => relative(workspaceRoot, dir);
const out = (line: string): void => console.log(line);

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { brokers: { type: 'string', default: '1' }, port: { type: 'string' } },
});
const [command, name] = positionals;

function requireName(): string {
  if (!name) throw new UsageError(`usage: npm run kafka -- ${command} <cluster-name>`);
  return name;
}

class UsageError extends Error {}

/** Run directories of other runs (tests, platforms on other ports) that hold a cluster `name`. */
function elsewhere(clusterName: string): string[] {
  const root = stateDir();
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((entry) => join(root, entry))
    .filter((dir) => dir !== platformDir && dir !== manualDir && clusterExists(dir, clusterName));
}

function notFound(clusterName: string): Error {
  const others = elsewhere(clusterName);
  const known = [...clusterNames(platformDir), ...clusterNames(manualDir)];
  const hint =
    others.length > 0
      ? `; a cluster by that name belongs to another run, in ${others.map(where).join(', ')} (FLOTILLA_PORT_OFFSET selects npm start's run on other ports)`
      : known.length > 0
        ? ` (there are: ${known.join(', ')})`
        : ' (`npm start` starts the local fleet)';
  return new Error(`no Kafka cluster "${clusterName}" in npm start's ${where(platformDir)} or in ${where(manualDir)}${hint}`);
}

/** npm start's supervisor answers for its clusters while it runs; undefined otherwise. */
async function supervised(clusterName: string, request: ControlRequest): Promise<string | undefined> {
  if (!clusterExists(platformDir, clusterName) || !runningPlatform(platformDir)) return undefined;
  const response = await sendControl(platformDir, request);
  if (!response.ok) throw new Error(response.error);
  return response.message ?? 'done';
}

function dirOf(clusterName: string): string {
  if (clusterExists(platformDir, clusterName)) return platformDir;
  if (clusterExists(manualDir, clusterName)) return manualDir;
  throw notFound(clusterName);
}

function nextFreeManualPort(): number {
  const used = new Set(clusterNames(manualDir).map((n) => clusterBasePort(manualDir, n)));
  let port = MANUAL_BASE_PORT;
  while (used.has(port)) port += MANUAL_PORT_STEP;
  return port;
}

async function start(clusterName: string): Promise<void> {
  if (clusterExists(platformDir, clusterName)) {
    throw new Error(`"${clusterName}" is a cluster of npm start's fleet (in ${where(platformDir)}); \`npm run kafka -- restart ${clusterName}\` brings it back on its data`);
  }
  if (DEFAULT_FLEET.some((spec) => spec.name === clusterName)) {
    throw new Error(`"${clusterName}" is the name of a cluster of npm start's fleet, which \`npm start\` starts; choose another name`);
  }
  const others = elsewhere(clusterName);
  if (others.length > 0) {
    throw new Error(`a cluster "${clusterName}" already exists in ${others.map(where).join(', ')} (another run's); choose another name`);
  }
  const brokers = Number(values.brokers);
  if (brokers !== 1 && brokers !== 3) throw new UsageError(`--brokers must be 1 or 3, got "${values.brokers}"`);
  const existing = clusterExists(manualDir, clusterName);
  const port = values.port === undefined ? (existing ? clusterBasePort(manualDir, clusterName) : nextFreeManualPort()) : Number(values.port);
  if (!Number.isInteger(port) || port < 1024 || port > 65_000) throw new UsageError(`--port must be a port number, got "${values.port}"`);
  if (port + 50 + brokers - 1 >= EPHEMERAL_PORT_START) {
    console.error(`kafka: warning: ports ${port}–${port + 50 + brokers - 1} reach Linux's ephemeral range (from ${EPHEMERAL_PORT_START}); a start may find one taken by an outgoing connection`);
  }
  const cluster = await startCluster({ name: clusterName, brokers, basePort: port, runDir: manualDir });
  out(
    `${cluster.name} ${existing ? 'restarted on its data' : 'ready'}: bootstrap ${cluster.bootstrap.join(',')}, SASL/SCRAM-SHA-512 bootstrap ${cluster.saslBootstrap.join(',')} (data and logs in ${where(cluster.dir)})`,
  );
}

async function restart(clusterName: string): Promise<void> {
  const viaPlatform = await supervised(clusterName, { cmd: 'restart', name: clusterName });
  if (viaPlatform !== undefined) return out(`${viaPlatform} (by npm start's supervisor)`);
  const runDir = dirOf(clusterName);
  const cluster = openCluster(runDir, clusterName);
  if (cluster.isRunning()) await cluster.stop();
  await cluster.restart();
  out(`${clusterName} restarted on its data: bootstrap ${cluster.bootstrap.join(',')}`);
  if (runDir === platformDir) out(`(npm start is not running: it runs on its own until \`npm run kafka -- stop ${clusterName}\` or the next \`npm start\`)`);
}

async function hold(clusterName: string, how: 'stop' | 'kill'): Promise<void> {
  const viaPlatform = await supervised(clusterName, { cmd: 'hold', name: clusterName, how });
  if (viaPlatform !== undefined) return out(`${viaPlatform}: \`npm run kafka -- restart ${clusterName}\``);
  const cluster = openCluster(dirOf(clusterName), clusterName);
  await (how === 'kill' ? cluster.kill() : cluster.stop());
  out(how === 'kill' ? `${clusterName} killed (SIGKILL); \`npm run kafka -- restart ${clusterName}\` brings it back on its data` : `${clusterName} stopped`);
}

async function status(): Promise<void> {
  const platform = runningPlatform(platformDir);
  let states = new Map<string, ComponentStatus>();
  if (platform) {
    const response = await sendControl(platformDir, { cmd: 'status' }, 10_000);
    if (response.ok) states = new Map((response.components ?? []).map((c) => [c.name, c]));
  }
  const row = (n: string, state: string, bootstrap: string, note = ''): void => out(`  ${n.padEnd(20)} ${state.padEnd(10)} ${bootstrap.padEnd(24)} ${note}`.trimEnd());
  out(`npm start's clusters (${where(platformDir)}, ${platform ? `platform running, pid ${platform.pid}` : 'platform not running'}):`);
  const platformClusters = clusterNames(platformDir);
  if (platformClusters.length === 0) out('  none yet (`npm start` creates them)');
  for (const n of platformClusters) {
    const cluster = openCluster(platformDir, n);
    const supervisedState = states.get(n);
    row(n, supervisedState?.state ?? (cluster.isRunning() ? 'running' : 'stopped'), cluster.bootstrap.join(','), supervisedState?.note ?? '');
  }
  const manual = clusterNames(manualDir);
  if (manual.length > 0) {
    out(`started by hand (${where(manualDir)}):`);
    for (const n of manual) {
      const cluster = openCluster(manualDir, n);
      row(n, cluster.isRunning() ? 'running' : 'stopped', cluster.bootstrap.join(','));
    }
  }
}

try {
  switch (command) {
    case 'fetch':
      out(`jars in ${await ensureKafkaJars(out)}`);
      break;
    case 'start':
      await start(requireName());
      break;
    case 'restart':
      await restart(requireName());
      break;
    case 'stop':
      await hold(requireName(), 'stop');
      break;
    case 'kill':
      await hold(requireName(), 'kill');
      break;
    case 'status':
      await status();
      break;
    default:
      if (command) throw new UsageError(USAGE);
      out(USAGE);
  }
} catch (error) {
  console.error(`kafka: ${(error as Error).message}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
