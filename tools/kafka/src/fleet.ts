// The default local fleet: two fronting clusters and one consumer cluster, one broker each,
// on fixed loopback ports; a 3-broker cluster on request. Tests use the same layout on
// another port range so a developer's `npm start` and `npm test` can run side by side.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, openCluster, type BrokerCount, type KafkaCluster } from './kafka-cluster';

export type ClusterRole = 'fronting' | 'consumer';
export type Tier = 'low' | 'medium' | 'high';

export interface FleetMemberSpec {
  name: string;
  role: ClusterRole;
  tier?: Tier;
  brokers: BrokerCount;
  basePort: number;
}

export const DEFAULT_FLEET: readonly FleetMemberSpec[] = [
  { name: 'fronting-1', role: 'fronting', tier: 'medium', brokers: 1, basePort: 19092 },
  { name: 'fronting-2', role: 'fronting', tier: 'medium', brokers: 1, basePort: 19192 },
  { name: 'consumer-1', role: 'consumer', brokers: 1, basePort: 19292 },
];

/** Replication factor 3 and reassignment benchmarks need three brokers. */
export const TRIPLE_CLUSTER: FleetMemberSpec = { name: 'triple-1', role: 'consumer', brokers: 3, basePort: 19392 };

export function shiftPorts(fleet: readonly FleetMemberSpec[], offset: number): FleetMemberSpec[] {
  return fleet.map((member) => ({ ...member, basePort: member.basePort + offset }));
}

export interface RunningCluster {
  spec: FleetMemberSpec;
  cluster: KafkaCluster;
}

export interface RunningFleet {
  clusters: readonly RunningCluster[];
  get(name: string): RunningCluster;
  stop(): Promise<void>;
}

export interface StartFleetOptions {
  runDir: string;
  progress?: (line: string) => void;
  heapMb?: number;
}

export async function startFleet(specs: readonly FleetMemberSpec[], options: StartFleetOptions): Promise<RunningFleet> {
  const progress = options.progress ?? (() => {});
  await stopLeftovers(options.runDir);
  const started: RunningCluster[] = [];
  const results = await Promise.allSettled(
    specs.map(async (spec) => {
      progress(`starting Kafka cluster ${spec.name} (${spec.brokers} broker${spec.brokers > 1 ? 's' : ''}, port ${spec.basePort})`);
      const t0 = Date.now();
      const cluster = await startCluster({ name: spec.name, brokers: spec.brokers, basePort: spec.basePort, runDir: options.runDir, ...(options.heapMb ? { heapMb: options.heapMb } : {}) });
      started.push({ spec, cluster });
      progress(`Kafka cluster ${spec.name} ready at ${cluster.bootstrap.join(',')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => s.cluster.stop()));
    throw failed.reason;
  }
  const ordered = specs.map((spec) => started.find((s) => s.spec.name === spec.name)!);
  return {
    clusters: ordered,
    get(name) {
      const found = ordered.find((s) => s.spec.name === name);
      if (!found) throw new Error(`no cluster "${name}" in the fleet (have ${ordered.map((s) => s.spec.name).join(', ')})`);
      return found;
    },
    async stop() {
      await Promise.all(ordered.map((s) => s.cluster.stop()));
    },
  };
}

/** Stops brokers that a crashed earlier run left behind under the same run directory. */
export async function stopLeftovers(runDir: string): Promise<void> {
  if (!existsSync(runDir)) return;
  const names = readdirSync(runDir).filter((entry) => existsSync(join(runDir, entry, 'cluster.json')));
  await Promise.all(names.map((name) => openCluster(runDir, name).stop()));
}
