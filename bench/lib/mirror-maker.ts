// MirrorMaker 2 from the project's Kafka jars (`org.apache.kafka:connect-mirror`, fetched with the
// broker by tools/kafka/pom.xml), in dedicated mode (`org.apache.kafka.connect.mirror.MirrorMaker`
// with a properties file) as an operator runs it: the router bench's peer. One flow, source →
// target, of the topics named; topic names kept (IdentityReplicationPolicy); one task per
// partition; no heartbeats, checkpoints, offset syncs or sync of configs, ACLs and group offsets,
// so it does nothing but copy records. Its output goes to a log file, kept for a failed run.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaClasspath } from '@flotilla/local-kafka';
import { tailFile } from '@flotilla/local-runtime';

export interface MirrorMakerOptions {
  /** Names the run's files; also the source cluster's alias, so every run has connect topics of its own. */
  name: string;
  sourceBootstrap: readonly string[];
  targetBootstrap: readonly string[];
  topics: readonly string[];
  tasks: number;
  heapMb: number;
  workDir: string;
}

export interface MirrorMakerProcess {
  readonly pid: number;
  readonly logFile: string;
  /** Whether the JVM exited on its own (a failure: it should run until stopped). */
  exited(): boolean;
  stop(): Promise<void>;
}

/** The JVM flags Kafka's kafka-run-class.sh gives every tool and connect-mirror-maker.sh. */
const JVM_FLAGS = ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35', '-XX:+ExplicitGCInvokesConcurrent', '-Djava.awt.headless=true'];
const STOP_GRACE_MS = 10_000;

/** The properties file, as documented settings only; everything else is MirrorMaker's default. */
export function mirrorMakerProperties(options: Pick<MirrorMakerOptions, 'name' | 'sourceBootstrap' | 'targetBootstrap' | 'topics' | 'tasks'>): string[] {
  const source = options.name;
  const settings: [string, string][] = [
    ['clusters', `${source}, target`],
    [`${source}.bootstrap.servers`, options.sourceBootstrap.join(',')],
    ['target.bootstrap.servers', options.targetBootstrap.join(',')],
    [`${source}->target.enabled`, 'true'],
    [`${source}->target.topics`, options.topics.map(escapeRegex).join('|')],
    [`target->${source}.enabled`, 'false'],
    ['replication.policy.class', 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy'],
    ['tasks.max', String(options.tasks)],
    // Single-broker clusters: every topic MirrorMaker creates has one replica. (No offset-syncs,
    // heartbeats or checkpoints topic settings: with those features off, MirrorMaker refuses them.)
    ['replication.factor', '1'],
    ['config.storage.replication.factor', '1'],
    ['offset.storage.replication.factor', '1'],
    ['status.storage.replication.factor', '1'],
    ['emit.heartbeats.enabled', 'false'],
    ['emit.checkpoints.enabled', 'false'],
    ['emit.offset-syncs.enabled', 'false'],
    ['sync.topic.configs.enabled', 'false'],
    ['sync.topic.acls.enabled', 'false'],
    ['sync.group.offsets.enabled', 'false'],
    ['refresh.groups.enabled', 'false'],
  ];
  return settings.map(([key, value]) => `${key} = ${value}`);
}

function escapeRegex(topic: string): string {
  return topic.replace(/[.]/g, '\\\\.');
}

function log4jConfig(path: string): void {
  writeFileSync(
    path,
    [
      'log4j.rootLogger=WARN, out',
      'log4j.appender.out=org.apache.log4j.ConsoleAppender',
      'log4j.appender.out.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
}

export function startMirrorMaker(options: MirrorMakerOptions): MirrorMakerProcess {
  const propertiesFile = join(options.workDir, `${options.name}.properties`);
  const log4jFile = join(options.workDir, `${options.name}-log4j.properties`);
  const logFile = join(options.workDir, `${options.name}.log`);
  writeFileSync(propertiesFile, `${mirrorMakerProperties(options).join('\n')}\n`);
  log4jConfig(log4jFile);
  const out = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'java',
      [
        `-Xmx${options.heapMb}m`,
        `-Xms${Math.min(256, options.heapMb)}m`,
        ...JVM_FLAGS,
        `-Dlog4j.configuration=file:${log4jFile}`,
        '-cp',
        kafkaClasspath(),
        'org.apache.kafka.connect.mirror.MirrorMaker',
        propertiesFile,
        '--clusters',
        'target',
      ],
      { stdio: ['ignore', out, out] },
    );
  } finally {
    closeSync(out);
  }
  if (child.pid === undefined) throw new Error('could not start MirrorMaker 2 (java)');
  const pid = child.pid;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping = false;
  return {
    pid,
    logFile,
    exited: () => !stopping && (child.exitCode !== null || child.signalCode !== null),
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** The end of MirrorMaker's log, for an error message. */
export function mirrorMakerLogTail(process: MirrorMakerProcess, lines = 30): string {
  return tailFile(process.logFile, lines);
}
