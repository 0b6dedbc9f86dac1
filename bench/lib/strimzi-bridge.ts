// The Strimzi HTTP Bridge, the proxy bench's peer: Kafka REST v2-style produce over HTTP (Vert.x
// over the Java Kafka producer). Its releases are not on Maven Central, so it is built from its
// source release with Maven (every dependency of it resolves from Maven Central) into
// .cache/peers/, never into the repository, and run with a JDK ≥ 21 as its own start script
// runs it. Its output goes to a log file, kept for a failed run.
import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheDir, runCommand, tailFile } from '@flotilla/local-runtime';
import type { CleanupStack } from './cleanup-stack';

export const BRIDGE_VERSION = '1.1.0';
const SOURCE_DIR = cacheDir('peers', `strimzi-kafka-bridge-${BRIDGE_VERSION}-src`);
const DIST_DIR = cacheDir('peers', `kafka-bridge-${BRIDGE_VERSION}`);
const MIN_JAVA = 21;
/** Versions its pom leaves to the release process; these resolve from Maven Central. */
const MAVEN_PROPERTIES = ['-Dstrimzi-oauth.version=0.17.1', '-Dstrimzi-metrics-reporter.version=0.3.0', '-Dstrimzi-test-container.version=0.115.0'];
/** The binary distribution only: no tests, static analysis, javadoc or source jars. */
const MAVEN_SKIPS = ['-Dmaven.test.skip=true', '-Dspotbugs.skip=true', '-Dcheckstyle.skip=true', '-Dmaven.javadoc.skip=true', '-Dmaven.source.skip=true'];
const STOP_GRACE_MS = 10_000;
const READY_TIMEOUT_MS = 60_000;

export const BRIDGE_HOW_TO = `The Strimzi HTTP Bridge ${BRIDGE_VERSION} is built from its source release, which is not here.
Put the source of tag ${BRIDGE_VERSION} of github.com/strimzi/strimzi-kafka-bridge in ${SOURCE_DIR}, e.g.
  git clone --depth 1 --branch ${BRIDGE_VERSION} https://github.com/strimzi/strimzi-kafka-bridge ${SOURCE_DIR}
and run the bench again: it builds the bridge with Maven into ${DIST_DIR}. It needs a JDK ≥ ${MIN_JAVA}
(these machines ship a Temurin JDK under /usr/lib/jvm beside Debian's OpenJDK 17; Debian 12 has
no newer OpenJDK package); set BRIDGE_JAVA_HOME to one found elsewhere.`;

export interface Java {
  readonly home: string;
  readonly version: string;
}

export type BridgeDistribution = { readonly dir: string; readonly java: Java } | { readonly missing: string };

/** The bridge's distribution and a JDK to run it, building it from its source first when that is all there is. */
export async function bridgeDistribution(progress: (line: string) => void): Promise<BridgeDistribution> {
  const java = await findJava();
  if (java === undefined) {
    return { missing: `no JDK ≥ ${MIN_JAVA} found (BRIDGE_JAVA_HOME, JAVA_HOME, /usr/lib/jvm/*): the bridge needs one; set BRIDGE_JAVA_HOME to its directory` };
  }
  if (isDistribution(DIST_DIR)) return { dir: DIST_DIR, java };
  if (!existsSync(join(SOURCE_DIR, 'pom.xml'))) return { missing: BRIDGE_HOW_TO };
  progress(`building the Strimzi HTTP Bridge ${BRIDGE_VERSION} from ${SOURCE_DIR} with Maven and Java ${java.version} (a few minutes, once)`);
  const log = join(SOURCE_DIR, 'flotilla-build.log');
  try {
    const output = await runCommand(
      'mvn',
      ['-B', 'package', `-Dmaven.repo.local=${cacheDir('m2')}`, ...MAVEN_SKIPS, ...MAVEN_PROPERTIES],
      { cwd: SOURCE_DIR, env: { ...process.env, JAVA_HOME: java.home }, timeoutMs: 30 * 60_000 },
    );
    writeFileSync(log, output);
  } catch (error) {
    return { missing: `building the bridge failed (Maven in ${SOURCE_DIR}): ${error instanceof Error ? error.message : String(error)}` };
  }
  // The assembly's directory form: target/kafka-bridge-<v>/kafka-bridge-<v>/{bin,config,libs}.
  const built = join(SOURCE_DIR, 'target', `kafka-bridge-${BRIDGE_VERSION}`, `kafka-bridge-${BRIDGE_VERSION}`);
  if (!isDistribution(built)) return { missing: `the Maven build left no distribution at ${built}` };
  rmSync(DIST_DIR, { recursive: true, force: true });
  cpSync(built, DIST_DIR, { recursive: true });
  progress(`built: ${DIST_DIR}`);
  return { dir: DIST_DIR, java };
}

/** The Kafka client and Vert.x versions the distribution runs, from its jars' names. */
export function bridgeComponents(dir: string): string {
  const jars = readdirSync(join(dir, 'libs'));
  // The version starts with a digit: vertx-core-5.1.6, not vertx-core-logging-5.1.6.
  const version = (prefix: string): string => jars.map((f) => f.startsWith(prefix) && /^\d/.test(f.slice(prefix.length)) ? f.slice(prefix.length).replace(/\.jar$/, '') : undefined).find((v) => v !== undefined) ?? 'unknown';
  return `kafka-clients ${version('org.apache.kafka.kafka-clients-')}, Vert.x ${version('io.vertx.vertx-core-')}`;
}

function isDistribution(dir: string): boolean {
  return existsSync(join(dir, 'libs')) && readdirSync(join(dir, 'libs')).some((f) => f.startsWith('io.strimzi.kafka-bridge-'));
}

/** The first JDK ≥ 21 of BRIDGE_JAVA_HOME, JAVA_HOME and /usr/lib/jvm/* (Kafka itself runs on the PATH's java, 17 here). */
async function findJava(): Promise<Java | undefined> {
  const jvmDir = '/usr/lib/jvm';
  const homes = [
    process.env['BRIDGE_JAVA_HOME'],
    process.env['JAVA_HOME'],
    ...(existsSync(jvmDir) ? readdirSync(jvmDir).sort().reverse().map((d) => join(jvmDir, d)) : []),
  ].filter((home): home is string => home !== undefined && existsSync(join(home, 'bin', 'java')));
  for (const home of homes) {
    const version = await javaVersion(join(home, 'bin', 'java'));
    if (version !== undefined && Number(version.split('.')[0]) >= MIN_JAVA) return { home, version };
  }
  return undefined;
}

async function javaVersion(java: string): Promise<string | undefined> {
  try {
    return /version "([^"]+)"/.exec(await runCommand(java, ['-version']))?.[1];
  } catch {
    return undefined;
  }
}

export interface BridgeOptions {
  readonly distribution: { readonly dir: string; readonly java: Java };
  readonly bootstrap: readonly string[];
  readonly port: number;
  /** Its /ready, /healthy and /metrics. */
  readonly managementPort: number;
  readonly heapMb: number;
  readonly workDir: string;
  /** The bridge goes onto it as soon as it is spawned. */
  readonly cleanup: CleanupStack;
}

export interface BridgeProcess {
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
}

/**
 * The bridge's configuration: its shipped application.properties with the cluster and ports of
 * the run, the consumer side off (only produce is measured), and acks=all, which the proxy's
 * ack=sync answers after (its shipped default is acks=1).
 */
export function bridgeProperties(options: Pick<BridgeOptions, 'bootstrap' | 'port' | 'managementPort'>): string[] {
  return [
    'bridge.id=flotilla-bench',
    `kafka.bootstrap.servers=${options.bootstrap.join(',')}`,
    'kafka.producer.acks=all',
    'http.host=127.0.0.1',
    `http.port=${options.port}`,
    `http.management.port=${options.managementPort}`,
    'http.cors.enabled=false',
    'http.consumer.enabled=false',
    'http.producer.enabled=true',
  ];
}

export async function startBridge(options: BridgeOptions): Promise<BridgeProcess> {
  const { dir, java } = options.distribution;
  const config = join(options.workDir, 'bridge.properties');
  writeFileSync(config, `${bridgeProperties(options).join('\n')}\n`);
  const logFile = join(options.workDir, 'bridge.log');
  const out = openSync(logFile, 'w');
  // As bin/kafka_bridge_run.sh starts it, with a fixed heap.
  const child = spawn(
    join(java.home, 'bin', 'java'),
    [
      `-Xms${options.heapMb}m`,
      `-Xmx${options.heapMb}m`,
      `-Dvertx.cacheDirBase=${join(options.workDir, 'vertx-cache')}`,
      '-Djava.security.egd=file:/dev/./urandom',
      `-Dlog4j2.configurationFile=file:${join(dir, 'config', 'log4j2.properties')}`,
      '-classpath',
      `${join(dir, 'libs')}/*`,
      'io.strimzi.kafka.bridge.Application',
      '--config-file',
      config,
    ],
    { stdio: ['ignore', out, out] },
  );
  closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const stop = async (): Promise<void> => {
    if (!alive()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  options.cleanup.push('Strimzi HTTP Bridge', stop);
  if (child.pid === undefined) throw new Error(`could not start the bridge (${java.home}/bin/java)`);
  const ready = `http://127.0.0.1:${options.managementPort}/ready`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await fetch(ready).then((response) => response.ok, () => false))) {
    if (!alive() || Date.now() > deadline) {
      throw new Error(`the bridge was not ready at ${ready} within ${READY_TIMEOUT_MS / 1000} s; its log (${logFile}) ends:\n${tailFile(logFile, 20)}`);
    }
    await sleep(200);
  }
  return { pid: child.pid, url: `http://127.0.0.1:${options.port}`, logFile };
}
