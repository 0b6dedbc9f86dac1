// The Kafka runtime comes from Maven Central: `mvn dependency:copy-dependencies` on
// tools/kafka/pom.xml puts the broker, kafka-tools, MirrorMaker 2 and reload4j in one
// directory. A marker holding the pom's hash makes a second run skip Maven entirely.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, runCommand, workspaceRoot } from '@flotilla/local-runtime';

const pomPath = join(workspaceRoot, 'tools', 'kafka', 'pom.xml');
export const kafkaLibDir = cacheDir('kafka', 'libs');
const markerPath = cacheDir('kafka', 'libs.complete');

function pomHash(): string {
  return createHash('sha256').update(readFileSync(pomPath)).digest('hex');
}

export function kafkaJarsReady(): boolean {
  return existsSync(markerPath) && readFileSync(markerPath, 'utf8').trim() === pomHash();
}

export interface FetchProgress {
  (line: string): void;
}

export async function ensureKafkaJars(progress: FetchProgress = () => {}): Promise<string> {
  if (kafkaJarsReady()) return kafkaLibDir;
  progress(`fetching Apache Kafka jars from Maven Central into ${kafkaLibDir} (first run only)`);
  rmSync(kafkaLibDir, { recursive: true, force: true });
  await runCommand(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      pomPath,
      `-Dmaven.repo.local=${cacheDir('m2')}`,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${kafkaLibDir}`,
    ],
    { timeoutMs: 20 * 60_000 },
  );
  const jars = readdirSync(kafkaLibDir).filter((f) => f.endsWith('.jar'));
  if (!jars.some((j) => j.startsWith('kafka_2.13-'))) throw new Error(`Maven finished but no kafka_2.13 jar in ${kafkaLibDir}`);
  writeFileSync(markerPath, pomHash());
  progress(`fetched ${jars.length} jars`);
  return kafkaLibDir;
}

/** Classpath for `java -cp`: the JVM expands a trailing `*` to every jar in the directory. */
export function kafkaClasspath(): string {
  return `${kafkaLibDir}/*`;
}
