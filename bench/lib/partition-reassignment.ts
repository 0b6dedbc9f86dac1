// Kafka's own way of moving data between brokers, timed: ReassignPartitionsCommand from the
// project's jars (org.apache.kafka.tools.reassign; the Scala kafka.admin class is gone in 3.9)
// with --execute, optionally --throttle, then --verify until it reports every partition
// completed, the way an operator runs it. In the same process an admin client watches the
// partitions' replica sets, so the moment the copy finished is known to within its poll, apart
// from the seconds each --verify JVM takes to start.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { runKafkaTool } from './kafka-java-tool';

const COMMAND = 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand';
/** Each --verify is a JVM start of one to a few seconds; a pause between them leaves the CPUs to the brokers. */
const VERIFY_PAUSE_MS = 1_000;
const WATCH_INTERVAL_MS = 200;
const TIMEOUT_MS = 30 * 60_000;

export interface PartitionTarget {
  partition: number;
  replicas: readonly number[];
}

export interface ReassignmentTiming {
  /** From starting --execute until the admin client saw every partition on its target replicas only. */
  copiedMs: number;
  /** From starting --execute until a --verify run reported every partition completed. */
  verifiedMs: number;
  /** How long the --execute command itself ran (JVM start and submitting). */
  executeMs: number;
  verifyRuns: number;
  /** --verify runs that saw a partition off its target with no reassignment running (see MISMATCHES_TOLERATED). */
  mismatchRuns: number;
  /** The last --verify's lines about throttles (a throttled run's are cleared by it). */
  throttleNote: string;
}

function connect(bootstrap: readonly string[]): Admin {
  return new Kafka({ clientId: 'bench-reassignment', brokers: [...bootstrap], logLevel: logLevel.NOTHING }).admin();
}

/** A topic whose partitions live where `targets` say (replication factor = replicas per partition). */
export async function createPinnedTopic(bootstrap: readonly string[], topic: string, targets: readonly PartitionTarget[]): Promise<void> {
  const admin = connect(bootstrap);
  await admin.connect();
  try {
    // kafkajs's own waitForLeaders gives up on the metadata error a just-created partition
    // answers with on a 3-broker cluster; the wait below asks again instead.
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          replicaAssignment: targets.map((t) => ({ partition: t.partition, replicas: [...t.replicas] })),
          // The 3-broker cluster's default of 2 would refuse acks=all writes to one replica.
          configEntries: [{ name: 'min.insync.replicas', value: '1' }],
        },
      ],
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      const partitions = metadata?.topics[0]?.partitions ?? [];
      if (partitions.length === targets.length && partitions.every((p) => p.leader >= 0)) break;
      if (Date.now() > deadline) throw new Error(`${topic}: not every partition has a leader 60 s after creating it`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

async function onTargets(admin: Admin, topic: string, targets: readonly PartitionTarget[]): Promise<boolean> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = metadata.topics[0]?.partitions ?? [];
  const sameSet = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
  return targets.every((t) => {
    const p = partitions.find((candidate) => candidate.partitionId === t.partition);
    // During a reassignment the replica set is the union of old and new; it shrinks to the
    // target only once the new replicas caught up.
    return p !== undefined && sameSet(p.replicas, t.replicas) && sameSet(p.isr, t.replicas);
  });
}

/** A --verify that saw a partition off its target with no reassignment running. */
const MISMATCH = 'There is no active reassignment of partition';
/**
 * Right as a reassignment ends, --verify can read the controller's "none active" together with a
 * broker's metadata that still lists the old replica; the next run agrees. A mismatch that
 * persists this many runs is real.
 */
const MISMATCHES_TOLERATED = 3;

/** Lines "Reassignment of partition T-P is completed." for every partition, or why not. */
export function verifyOutcome(output: string, partitions: number): 'completed' | 'in-progress' | { mismatch: string } {
  const lines = output.split('\n');
  const mismatch = lines.find((line) => line.startsWith(MISMATCH));
  if (mismatch) return { mismatch: mismatch.trim() };
  const completed = lines.filter((line) => /^Reassignment of partition \S+ is completed\.$/.test(line.trim())).length;
  if (completed === partitions) return 'completed';
  if (lines.some((line) => line.includes('is still in progress'))) return 'in-progress';
  throw new Error(`--verify printed neither "completed" for all ${partitions} partitions nor "still in progress":\n${output.slice(-2000)}`);
}

export async function timeReassignment(options: {
  bootstrap: readonly string[];
  topic: string;
  targets: readonly PartitionTarget[];
  /** Bytes per second for --throttle (inter-broker replication, leader and follower side). */
  throttleBytesPerSec?: number;
  workDir: string;
  label: string;
}): Promise<ReassignmentTiming> {
  const { bootstrap, topic, targets, workDir } = options;
  const planFile = join(workDir, `reassignment-${options.label}.json`);
  writeFileSync(planFile, JSON.stringify({ version: 1, partitions: targets.map((t) => ({ topic, partition: t.partition, replicas: [...t.replicas] })) }));
  const common = ['--bootstrap-server', bootstrap.join(','), '--reassignment-json-file', planFile];
  const tool = { workDir, timeoutMs: TIMEOUT_MS };

  const admin = connect(bootstrap);
  await admin.connect();
  try {
    if (await onTargets(admin, topic, targets)) throw new Error(`${topic} already has the target assignment; nothing would move`);
    const started = performance.now();
    let copiedMs: number | undefined;
    let watching = true;
    const watcher = (async () => {
      while (watching && copiedMs === undefined) {
        // A failed metadata request (a broker busy copying) is asked again, not fatal.
        if (await onTargets(admin, topic, targets).catch(() => false)) copiedMs = performance.now() - started;
        else await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
      }
    })();
    try {
      const throttle = options.throttleBytesPerSec === undefined ? [] : ['--throttle', String(options.throttleBytesPerSec)];
      await runKafkaTool(COMMAND, [...common, '--execute', ...throttle], tool);
      const executeMs = performance.now() - started;
      let verifyRuns = 0;
      let mismatches = 0;
      let mismatchRuns = 0;
      for (;;) {
        const output = await runKafkaTool(COMMAND, [...common, '--verify'], tool);
        verifyRuns += 1;
        const outcome = verifyOutcome(output, targets.length);
        if (typeof outcome === 'object') {
          mismatches += 1;
          mismatchRuns += 1;
          if (mismatches >= MISMATCHES_TOLERATED) throw new Error(`--verify, ${mismatches} runs in a row: ${outcome.mismatch}`);
        } else mismatches = 0;
        if (outcome === 'completed') {
          const verifiedMs = performance.now() - started;
          await watcher;
          const throttleNote = output
            .split('\n')
            .filter((line) => line.startsWith('Clearing'))
            .map((line) => line.trim())
            .join('; ');
          return { copiedMs: copiedMs ?? verifiedMs, verifiedMs, executeMs, verifyRuns, mismatchRuns, throttleNote };
        }
        if (performance.now() - started > TIMEOUT_MS) throw new Error(`reassignment of ${topic} (${options.label}) not complete after ${TIMEOUT_MS / 60_000} minutes`);
        await new Promise((resolve) => setTimeout(resolve, VERIFY_PAUSE_MS));
      }
    } finally {
      watching = false;
      await watcher.catch(() => {});
    }
  } finally {
    await admin.disconnect();
  }
}
