// A fresh single-broker Kafka for one benchmark run: leftovers of an earlier, interrupted run
// are stopped and wiped first (their topics and warm segments must not help anyone), and the
// broker is stopped when the work ends, fails, or the run is interrupted.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, stopLeftovers, type KafkaCluster } from '@flotilla/local-kafka';

export interface BenchClusterOptions {
  name: string;
  basePort: number;
  /** Parent directory of the cluster's own; one per scenario so runs of two scenarios never meet. */
  runDir: string;
  heapMb: number;
  progress: (line: string) => void;
}

export async function withBenchCluster<T>(options: BenchClusterOptions, work: (cluster: KafkaCluster) => Promise<T>): Promise<T> {
  const { name, basePort, runDir, heapMb, progress } = options;
  await stopLeftovers(runDir);
  rmSync(join(runDir, name), { recursive: true, force: true });
  progress(`starting a single-broker Kafka cluster on port ${basePort}`);
  const cluster = await startCluster({ name, basePort, runDir, heapMb });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= cluster.stop());
  const onSignal = (signal: NodeJS.Signals): void => {
    progress(`${signal}: stopping Kafka`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(cluster);
  } finally {
    progress('stopping Kafka');
    await stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
