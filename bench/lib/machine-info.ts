// The facts a throughput figure is meaningless without: when, on what machine, with which
// runtimes and client versions.
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import RdKafka from 'node-rdkafka';
import { kafkaLibDir } from '@flotilla/local-kafka';
import { runCommand, workspaceRoot } from '@flotilla/local-runtime';

export interface MachineInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  java: string;
  clients: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function installedVersion(pkg: string): string {
  const manifest = JSON.parse(readFileSync(join(workspaceRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version.replace(/^v/, '') : 'unknown';
}

export async function machineInfo(): Promise<MachineInfo> {
  const [date, javaVersion] = await Promise.all([runCommand('date', ['-u']), runCommand('java', ['-version'])]);
  return {
    date: date.trim(),
    cpus: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    java: javaVersion.split('\n')[0]?.trim() ?? 'unknown',
    clients:
      `kafkajs ${installedVersion('kafkajs')}, node-rdkafka ${installedVersion('node-rdkafka')} (librdkafka ${RdKafka.librdkafkaVersion}), ` +
      `@platformatic/kafka ${installedVersion('@platformatic/kafka')}, Kafka ${kafkaVersion()}`,
  };
}

/** From the broker jar's name in the fetched libs (kafka_2.13-3.9.1.jar). */
function kafkaVersion(): string {
  const jar = readdirSync(kafkaLibDir).find((f) => /^kafka_2\.13-[\d.]+\.jar$/.test(f));
  return jar?.replace(/^kafka_2\.13-/, '').replace(/\.jar$/, '') ?? 'unknown';
}
