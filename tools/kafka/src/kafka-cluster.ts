// A real Kafka cluster on loopback: 1 or 3 KRaft nodes in combined broker+controller mode,
// each its own JVM. State lives on disk (properties, data, pid files, logs) under the
// cluster's directory, so a handle can be re-opened from any process with `openCluster`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { isAlive, killProcess, readPid, runCommand, startProcess, stopProcess, StopWaiting, tailFile, waitFor, type ProcessExit } from '@flotilla/local-runtime';
import { ensureKafkaJars, kafkaClasspath } from './kafka-jars';

export type BrokerCount = 1 | 3;

export interface ClusterOptions {
  name: string;
  brokers?: BrokerCount;
  /**
   * Broker i listens on basePort + i (PLAINTEXT, the platform's), basePort + 25 + i (CLIENT,
   * SASL/SCRAM-SHA-512, applications') and its controller on basePort + 50 + i.
   */
  basePort: number;
  /** Parent directory; the cluster lives in `<runDir>/<name>`. */
  runDir: string;
  heapMb?: number;
  /** Extra broker properties, e.g. retention defaults for a tier. */
  config?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Told when a broker this process started exits (a supervisor restarts the cluster). */
  onBrokerExit?: (exit: ProcessExit) => void;
}

export interface KafkaCluster {
  readonly name: string;
  /** The PLAINTEXT listener: the platform's own clients and inter-broker traffic, as User:ANONYMOUS. */
  readonly bootstrap: readonly string[];
  /** The CLIENT listener: applications authenticate with SASL/SCRAM-SHA-512 and are User:<name>. */
  readonly saslBootstrap: readonly string[];
  readonly brokerCount: BrokerCount;
  readonly dir: string;
  /** Graceful stop (SIGTERM, SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** SIGKILL every broker at once: a crash, for fault tests. Data dirs stay. */
  kill(): Promise<void>;
  /** Start again on the same data dirs and wait until ready. */
  restart(): Promise<void>;
  isRunning(): boolean;
  /** The brokers' pids from their pid files (whether or not they still run). */
  pids(): number[];
  /** Tails of every broker's stdout and server.log, for failing tests. */
  logTail(lines?: number): string;
}

interface ClusterState {
  name: string;
  brokerCount: BrokerCount;
  basePort: number;
  clusterId: string;
  heapMb: number;
}

const PROBE_TOPIC = '__flotilla_probe';
/** The CLIENT (SASL) listener of broker i is on basePort + 25 + i: between PLAINTEXT and CONTROLLER. */
const CLIENT_PORT_OFFSET = 25;

export async function startCluster(options: ClusterOptions): Promise<KafkaCluster> {
  await ensureKafkaJars();
  const dir = join(options.runDir, options.name);
  const brokerCount = options.brokers ?? 1;
  const statePath = join(dir, 'cluster.json');
  let state: ClusterState;
  if (existsSync(statePath)) {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as ClusterState;
    if (state.brokerCount !== brokerCount || state.basePort !== options.basePort) {
      throw new Error(
        `cluster "${options.name}" in ${dir} was created with ${state.brokerCount} broker(s) on port ${state.basePort}; ` +
          `asked for ${brokerCount} on ${options.basePort}. Remove ${dir} to start afresh.`,
      );
    }
  } else {
    state = { name: options.name, brokerCount, basePort: options.basePort, clusterId: newClusterId(), heapMb: options.heapMb ?? 512 };
    mkdirSync(dir, { recursive: true });
    writeFileSync(statePath, JSON.stringify(state, null, 2));
  }
  const cluster = handle(dir, state, options.onBrokerExit);
  for (let i = 0; i < brokerCount; i++) writeBrokerFiles(dir, state, i, options.config ?? {});
  await Promise.all(range(brokerCount).map((i) => formatStorage(dir, state, i)));
  await cluster.restart(options.readyTimeoutMs);
  return cluster;
}

/** A handle on a cluster started elsewhere (another process) from its directory. */
export function openCluster(runDir: string, name: string): KafkaCluster {
  const dir = join(runDir, name);
  const statePath = join(dir, 'cluster.json');
  if (!existsSync(statePath)) throw new Error(`no Kafka cluster "${name}" under ${runDir}`);
  return handle(dir, JSON.parse(readFileSync(statePath, 'utf8')) as ClusterState);
}

/** Whether `runDir` holds a cluster called `name` (started or not). */
export function clusterExists(runDir: string, name: string): boolean {
  return existsSync(join(runDir, name, 'cluster.json'));
}

/** The names of the clusters under `runDir`. */
export function clusterNames(runDir: string): string[] {
  return existsSync(runDir) ? readdirSync(runDir).filter((entry) => clusterExists(runDir, entry)) : [];
}

/** The base port a cluster under `runDir` was created on. */
export function clusterBasePort(runDir: string, name: string): number {
  return (JSON.parse(readFileSync(join(runDir, name, 'cluster.json'), 'utf8')) as ClusterState).basePort;
}

function handle(dir: string, state: ClusterState, onBrokerExit?: (exit: ProcessExit) => void): KafkaCluster & { restart(timeoutMs?: number): Promise<void> } {
  const brokers = range(state.brokerCount);
  const pidFile = (i: number): string => join(dir, `broker-${i}`, 'pid');
  const bootstrap = brokers.map((i) => `127.0.0.1:${state.basePort + i}`);
  const cluster = {
    name: state.name,
    bootstrap,
    saslBootstrap: brokers.map((i) => `127.0.0.1:${state.basePort + CLIENT_PORT_OFFSET + i}`),
    brokerCount: state.brokerCount,
    dir,
    async stop() {
      await Promise.all(brokers.map((i) => stopProcess(pidFile(i), 30_000)));
    },
    async kill() {
      await Promise.all(brokers.map((i) => killProcess(pidFile(i))));
    },
    async restart(timeoutMs = 120_000) {
      for (const i of brokers) {
        const pid = readPid(pidFile(i));
        if (pid !== undefined && isAlive(pid)) continue;
        startBroker(dir, state, i, onBrokerExit);
      }
      try {
        await waitUntilReady(bootstrap, state.brokerCount, timeoutMs, () => cluster.isRunning());
      } catch (error) {
        throw new Error(`Kafka cluster "${state.name}" did not become ready: ${(error as Error).message}\n${cluster.logTail(30)}`, {
          cause: error,
        });
      }
    },
    isRunning() {
      return brokers.every((i) => {
        const pid = readPid(pidFile(i));
        return pid !== undefined && isAlive(pid);
      });
    },
    pids() {
      return brokers.map((i) => readPid(pidFile(i))).filter((pid): pid is number => pid !== undefined);
    },
    logTail(lines = 40) {
      return brokers
        .flatMap((i) => [
          `--- ${state.name} broker-${i} stdout ---`,
          tailFile(join(dir, `broker-${i}`, 'server.out'), lines),
          `--- ${state.name} broker-${i} server.log ---`,
          tailFile(join(dir, `broker-${i}`, 'logs', 'server.log'), lines),
        ])
        .join('\n');
    },
  };
  return cluster;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. Like Kafka's own
 * Uuid.randomUuid, never one starting with "-": command-line parsers take it for an option.
 */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function writeBrokerFiles(dir: string, state: ClusterState, i: number, extra: Record<string, string>): void {
  const brokerDir = join(dir, `broker-${i}`);
  mkdirSync(join(brokerDir, 'logs'), { recursive: true });
  const n = state.brokerCount;
  const clientPort = state.basePort + CLIENT_PORT_OFFSET + i;
  const voters = range(n)
    .map((j) => `${j}@127.0.0.1:${state.basePort + 50 + j}`)
    .join(',');
  const props: Record<string, string> = {
    'node.id': String(i),
    'process.roles': 'broker,controller',
    listeners: `PLAINTEXT://127.0.0.1:${state.basePort + i},CLIENT://127.0.0.1:${clientPort},CONTROLLER://127.0.0.1:${state.basePort + 50 + i}`,
    // A broker answers Metadata with the endpoints of the listener the request came in on, so
    // a client that bootstraps on CLIENT stays on CLIENT.
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${state.basePort + i},CLIENT://127.0.0.1:${clientPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    // Controllers talk over SASL/PLAIN as the super user "controller": the StandardAuthorizer
    // admits only super users until it has loaded the ACLs from the metadata log, so a
    // 3-node quorum of anonymous voters would never elect a leader. The platform stays on
    // PLAINTEXT as User:ANONYMOUS, which is not a super user, so DENY ACLs apply to it.
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config':
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="controller-local" user_controller="controller-local";',
    // Applications authenticate on CLIENT with SCRAM-SHA-512 as User:<name>. SCRAM credentials
    // live in the metadata log, so management creates and deletes them at runtime (Kafka API
    // 51) with no broker restart; the login module needs no users of its own.
    'listener.name.client.sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'listener.name.client.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    // Without a session lifetime a connection outlives the deletion of its credential for as
    // long as it stays busy; with one, the broker closes it unless it re-authenticates, which
    // fails once the credential is gone. 15 s, not less: kafkajs re-authenticates when less than
    // its reauthenticationThreshold (10 s by default) is left, and the broker refuses a second
    // re-authentication within 1 s, so a lifetime under ~11 s breaks default kafkajs clients.
    'listener.name.client.scram-sha-512.connections.max.reauth.ms': '15000',
    'super.users': 'User:controller',
    'controller.quorum.voters': voters,
    'log.dirs': join(brokerDir, 'data'),
    // The StandardAuthorizer with "allow when no ACL matches": open by default to the platform,
    // yet a DENY ACL can fence a topic (a topic move fences producers that did not switch in
    // time). Applications on CLIENT get only what an ACL grants them once the platform's own
    // ACLs are in place (ALLOW ALL for User:ANONYMOUS on TOPIC, GROUP and TRANSACTIONAL_ID "*"
    // and on the CLUSTER): then every resource has a matching ACL, and a principal that none
    // allows is denied. Until they are, a resource without ACLs is open to every principal.
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found': 'true',
    // Topics are created by Flotilla with the tier's settings, never by a typo in a client.
    'auto.create.topics.enable': 'false',
    'num.partitions': '1',
    'default.replication.factor': String(n),
    'min.insync.replicas': n === 3 ? '2' : '1',
    'offsets.topic.replication.factor': String(n),
    // Fewer __consumer_offsets partitions: the first consumer group on a fresh cluster would
    // otherwise wait for 50 partitions to be created on a 2-core machine.
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': String(n),
    'transaction.state.log.min.isr': n === 3 ? '2' : '1',
    'transaction.state.log.num.partitions': '5',
    'group.initial.rebalance.delay.ms': '0',
    // A killed broker is fenced (and its partitions' leadership moved) after 4 s, not 9 s.
    'broker.session.timeout.ms': '4000',
    'broker.heartbeat.interval.ms': '1000',
    'num.network.threads': '3',
    'num.io.threads': '4',
    'log.retention.check.interval.ms': '30000',
    'delete.topic.enable': 'true',
    ...extra,
  };
  const text = Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  writeFileSync(join(brokerDir, 'server.properties'), `${text}\n`);
  writeFileSync(join(brokerDir, 'log4j.properties'), LOG4J);
}

const LOG4J = `log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=\${kafka.logs.dir}/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
`;

function jvmArgs(dir: string, state: ClusterState, i: number): string[] {
  const brokerDir = join(dir, `broker-${i}`);
  return [
    `-Xmx${state.heapMb}m`,
    `-Xms${Math.min(state.heapMb, 256)}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${join(brokerDir, 'logs')}`,
    `-Dlog4j.configuration=file:${join(brokerDir, 'log4j.properties')}`,
    '-cp',
    kafkaClasspath(),
  ];
}

async function formatStorage(dir: string, state: ClusterState, i: number): Promise<void> {
  const brokerDir = join(dir, `broker-${i}`);
  if (existsSync(join(brokerDir, 'data', 'meta.properties'))) return;
  await runCommand(
    'java',
    [
      ...jvmArgs(dir, state, i),
      'kafka.tools.StorageTool',
      'format',
      `--cluster-id=${state.clusterId}`,
      '--config',
      join(brokerDir, 'server.properties'),
      '--ignore-formatted',
    ],
    { timeoutMs: 120_000 },
  );
}

function startBroker(dir: string, state: ClusterState, i: number, onExit?: (exit: ProcessExit) => void): void {
  const brokerDir = join(dir, `broker-${i}`);
  startProcess({
    command: 'java',
    args: [...jvmArgs(dir, state, i), 'kafka.Kafka', join(brokerDir, 'server.properties')],
    logFile: join(brokerDir, 'server.out'),
    pidFile: join(brokerDir, 'pid'),
    ...(onExit ? { onExit } : {}),
  });
}

async function waitUntilReady(bootstrap: readonly string[], brokerCount: number, timeoutMs: number, alive: () => boolean): Promise<void> {
  // kafkajs directly rather than @flotilla/kafka: the product's Kafka layer is tested with
  // these clusters, so the tool that starts them must not depend on it.
  const kafka = new Kafka({ clientId: 'flotilla-local-kafka', brokers: [...bootstrap], logLevel: logLevel.NOTHING, connectionTimeout: 1_000, retry: { retries: 0 } });
  await waitFor(
    async () => {
      if (!alive()) throw new StopWaiting('a broker process exited during start-up');
      const admin = kafka.admin();
      await admin.connect();
      try {
        const description = await admin.describeCluster();
        if (description.brokers.length < brokerCount) return undefined;
        // Metadata alone is not enough: the controller must also accept a topic.
        await admin.createTopics({ topics: [{ topic: PROBE_TOPIC, numPartitions: 1, replicationFactor: brokerCount }], waitForLeaders: true });
        return true;
      } finally {
        await admin.disconnect();
      }
    },
    { timeoutMs, intervalMs: 500, what: `${brokerCount} broker(s) at ${bootstrap.join(',')}` },
  );
}
