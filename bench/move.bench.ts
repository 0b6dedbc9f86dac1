// What a topic move costs against how much data the topic holds (ARCHITECTURE.md §4: the time
// must not grow with the data), and in the same run what Kafka's own partition reassignment
// costs to move the same volume between brokers, unthrottled and throttled. The move is the real
// one: management starts the topicMove workflow on a Temporal dev server and the worker process
// carries it out against two single-broker clusters. Table to stdout, progress to stderr, an
// entry appended to bench/RESULTS.md.
//
//   npm run bench -- move [--rounds R] [--quick] [--no-record]
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statfsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAdmin } from '@flotilla/kafka';
import { ensureKafkaJars, startCluster, stopLeftovers, type KafkaCluster } from '@flotilla/local-kafka';
import { ensureTemporalCli } from '@flotilla/local-temporal';
import { stateDir } from '@flotilla/local-runtime';
import { parseBenchOptions, runBenchMain, UsageError } from './lib/bench-options';
import { CleanupStack } from './lib/cleanup-stack';
import { FILL_PRODUCER_PROPS, FILL_RECORD_BYTES, fillTopic, type FillResult } from './lib/fill-topic';
import { consumerPerformance } from './lib/kafka-perf-tools';
import { machineInfo, type MachineInfo } from './lib/machine-info';
import { markdownTable } from './lib/markdown-table';
import { startMovePlatform, type MovePlatform } from './lib/move-platform';
import { createPinnedTopic, timeReassignment, type PartitionTarget, type ReassignmentTiming } from './lib/partition-reassignment';
import { recordResult, type CurrentFigure } from './lib/results-file';
import { median, rotate, spread } from './lib/round-stats';
import { topicDiskBytes } from './lib/topic-disk-usage';
import { workflowTimes, type WorkflowTimes } from './lib/workflow-activity-times';

const SCENARIO = 'move';
const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
const MiB = 1024 * 1024;
const DEFAULTS = { smallBytes: 10 * MiB, largeBytes: 1024 * MiB, rounds: 3 };
const QUICK = { smallBytes: 1 * MiB, largeBytes: 64 * MiB, rounds: 1 };
/** The goal of issue #5: a move of the large topic takes at most this times the small one's. */
const GOAL_RATIO = 1.2;
/** Even over the two brokers the reassignment moves to, and the same for the moved topics. */
const PARTITIONS = 4;
// Ports clear of `npm start` (19092…), test runs (+5000, +6000, +10000), Temporal's usual 7233
// and the Linux ephemeral range.
const SOURCE = { name: 'move-a', basePort: 21092 };
const TARGET = { name: 'move-b', basePort: 21192 };
const TRIPLE = { name: 'move-triple', basePort: 21292 };
const TEMPORAL_PORT = 7833;
const TASK_QUEUE = 'flotilla-bench-move';
const HEAP_MB = 512;
/** 52,428,800 B/s: ReassignPartitionsCommand's --throttle is bytes per second. */
const THROTTLE_BYTES_PER_SEC = 50 * MiB;
/** How often the bench asks operations.status while a move runs: the time's resolution. */
const STATUS_POLL_MS = 100;
/** The workflow's own switch and drain polls (none fire when nothing is left to wait for). */
const MOVE_POLL_MS = 250;
const MOVE_TIMEOUT_MS = 5 * 60_000;
/** The first move also waits for the worker to bundle the workflows and start polling. */
const WARM_UP_TIMEOUT_MS = 10 * 60_000;
/** Besides the data: broker logs, Temporal's SQLite, PGlite, index files. */
const DISK_MARGIN_BYTES = 2 * 1024 * MiB;

interface Options {
  smallBytes: number;
  largeBytes: number;
  rounds: number;
  record: boolean;
  quick: boolean;
}

const USAGE = `usage: npm run bench -- ${SCENARIO} [--rounds R] [--quick] [--no-record]
  --rounds R    moves per topic size, each of a fresh topic, reported as the median (default ${DEFAULTS.rounds})
  --quick       ${size(QUICK.smallBytes)} and ${size(QUICK.largeBytes)}, one round, not recorded in bench/RESULTS.md
  --no-record   print the table only; do not append to bench/RESULTS.md`;

function parseOptions(argv: string[]): Options {
  // The shared parser also knows --records, which means nothing here: refuse it rather than ignore it.
  if (argv.some((arg) => arg === '--records' || arg.startsWith('--records='))) {
    throw new UsageError(`--records: not an option of the ${SCENARIO} scenario (the topic sizes are fixed: ${size(DEFAULTS.smallBytes)} and ${size(DEFAULTS.largeBytes)})`);
  }
  const common = parseBenchOptions(argv, { defaults: { small: 1, large: 1, rounds: DEFAULTS.rounds }, quick: { small: 1, large: 1, rounds: QUICK.rounds } }, USAGE);
  const sizes = common.quick ? QUICK : DEFAULTS;
  return { smallBytes: sizes.smallBytes, largeBytes: sizes.largeBytes, rounds: common.rounds, record: common.record, quick: common.quick };
}

function progress(line: string): void {
  process.stderr.write(`\x1b[36m==>\x1b[0m ${line}\n`);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function size(bytes: number): string {
  return bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(bytes % (1024 * MiB) === 0 ? 0 : 2)} GiB` : `${(bytes / MiB).toFixed(bytes >= 10 * MiB ? 0 : 1)} MiB`;
}

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : `${integer.format(value)} ms`;
}

function seconds(value: number): string {
  return `${(value / 1000).toFixed(1)} s`;
}

function mibPerSec(bytes: number, milliseconds: number): string {
  return `${((bytes / MiB) / (milliseconds / 1000)).toFixed(1)} MiB/s`;
}

function percent(fraction: number): string {
  return Number.isNaN(fraction) ? '-' : `${Math.round(fraction * 100)}%`;
}

function unique(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

interface MoveRun {
  topic: string;
  diskBytes: number;
  /** operations.moveTopic called → operations.status says completed. */
  apiMs: number;
  /** The moveTopic call alone (checks, operation row, workflow start). */
  startCallMs: number;
  times: WorkflowTimes;
  /** The drain check's last answer: consumer group → records left on the source. */
  lag: Readonly<Record<string, number>>;
  fill: FillResult;
}

interface ReassignmentRun {
  label: string;
  diskBytes: number;
  timing: ReassignmentTiming;
}

interface RunFacts {
  freeBytesBefore: number;
  load: { before: number; after: number };
  warmUpMs: number;
}

/** A topic on the source cluster through management, filled, and read to its end by one consumer group. */
async function prepareTopic(platform: MovePlatform, source: KafkaCluster, bytes: number, round: number, workDir: string): Promise<{ topic: string; fill: FillResult; diskBytes: number }> {
  const topic = unique(`move-${Math.round(bytes / MiB)}mib-r${round}`);
  await platform.admin.topics.create.mutate({ name: topic, tier: 'medium', partitions: PARTITIONS, cluster: SOURCE.name });
  progress(`${topic}: filling with ${size(bytes)} (ProducerPerformance, ${FILL_RECORD_BYTES} B records, acks=1)`);
  const fill = await fillTopic({ bootstrap: source.bootstrap, topic, bytes, workDir });
  progress(`${topic}: filled in ${seconds(fill.elapsedMs)} (${fill.mibPerSecond.toFixed(1)} MiB/s by the tool's own count); reading it all with one consumer group`);
  // A consumer group that has read everything: the drain check must find it and see no lag.
  const group = `${topic}-readers`;
  await consumerPerformance({ bootstrap: source.bootstrap, topic, records: fill.records, groupId: group, workDir });
  const admin = await connectAdmin({ bootstrap: source.bootstrap, requestTimeoutMs: 30_000 });
  try {
    const lag = await admin.consumerLag(topic, [group]);
    if (lag[group] !== 0) throw new Error(`consumer group ${group} should have read all of ${topic} but has ${lag[group]} records left`);
  } finally {
    await admin.close();
  }
  return { topic, fill, diskBytes: topicDiskBytes(source.dir, topic) };
}

/** operations.moveTopic → operations.status completed, then checks the move did what it says. */
async function timeMove(platform: MovePlatform, topic: string, timeoutMs: number): Promise<{ apiMs: number; startCallMs: number; workflowId: string; lag: Readonly<Record<string, number>> }> {
  const started = performance.now();
  // The group read everything: the explicit early release ends the tail at once, so the run measures
  // the whole move (the default tail keeps the source for the topic's retention).
  const { workflowId } = await platform.admin.operations.moveTopic.mutate({ topic, to: TARGET.name, pollMs: MOVE_POLL_MS, producerSwitchTimeoutMs: 30_000, releaseWhenDrained: true });
  const startCallMs = performance.now() - started;
  for (;;) {
    const status = await platform.admin.operations.status.query({ workflowId });
    if (status.status === 'completed') {
      const apiMs = performance.now() - started;
      const placement = (await platform.admin.topics.describe.query({ name: topic })).placement;
      if (placement.producers.join() !== TARGET.name || placement.consumers.join() !== TARGET.name) {
        throw new Error(`${topic} moved but its placement is producers [${placement.producers.join(', ')}], consumers [${placement.consumers.join(', ')}]`);
      }
      return { apiMs, startCallMs, workflowId, lag: status.progress?.lag ?? {} };
    }
    if (status.status !== 'running') throw new Error(`move of ${topic} ended ${status.status}${status.error ? `: ${status.error}` : ''}`);
    if (performance.now() - started > timeoutMs) throw new Error(`move of ${topic} still running after ${timeoutMs / 1000} s (step ${status.progress?.step ?? '?'})`);
    await sleep(STATUS_POLL_MS);
  }
}

async function checkMoved(source: KafkaCluster, target: KafkaCluster, topic: string): Promise<void> {
  const [from, to] = await Promise.all([connectAdmin({ bootstrap: source.bootstrap }), connectAdmin({ bootstrap: target.bootstrap })]);
  try {
    if ((await from.partitionCount(topic)) !== undefined) throw new Error(`${topic} is still on ${SOURCE.name} after the move`);
    const partitions = await to.partitionCount(topic);
    if (partitions !== PARTITIONS) throw new Error(`${topic} has ${partitions ?? 'no'} partitions on ${TARGET.name}, expected ${PARTITIONS}`);
  } finally {
    await Promise.all([from.close(), to.close()]);
  }
}

async function measureMoves(options: Options, runDir: string): Promise<{ moves: Map<number, MoveRun[]>; warmUpMs: number }> {
  const cleanup = new CleanupStack(progress);
  const workDir = join(runDir, 'tools');
  mkdirSync(workDir, { recursive: true });
  try {
    progress(`starting two single-broker Kafka clusters (ports ${SOURCE.basePort}, ${TARGET.basePort})`);
    const clusters = await Promise.allSettled([SOURCE, TARGET].map((spec) => startCluster({ ...spec, runDir, heapMb: HEAP_MB })));
    for (const started of clusters) if (started.status === 'fulfilled') cleanup.push(`Kafka ${started.value.name}`, () => started.value.stop());
    const failed = clusters.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (failed) throw failed.reason;
    const [source, target] = clusters.map((c) => (c as PromiseFulfilledResult<KafkaCluster>).value) as [KafkaCluster, KafkaCluster];

    const platform = await startMovePlatform({ runDir, temporalPort: TEMPORAL_PORT, taskQueue: TASK_QUEUE, cleanup, progress });
    for (const cluster of [source, target]) {
      await platform.admin.clusters.add.mutate({ name: cluster.name, role: 'fronting', tier: 'medium', bootstrap: [...cluster.bootstrap] });
    }

    // Unmeasured: the worker bundles the workflows and starts polling, and every path is warm.
    progress('warm-up move (not measured): waits for the worker to bundle the workflows');
    const warmUp = await prepareTopic(platform, source, MiB, 0, workDir);
    const { apiMs: warmUpMs } = await timeMove(platform, warmUp.topic, WARM_UP_TIMEOUT_MS);
    progress(`warm-up move done in ${ms(warmUpMs)}`);

    const moves = new Map<number, MoveRun[]>([
      [options.smallBytes, []],
      [options.largeBytes, []],
    ]);
    for (let round = 1; round <= options.rounds; round++) {
      // Both topics are filled and read first, so neither move runs while the other fills.
      const prepared = new Map<number, Awaited<ReturnType<typeof prepareTopic>>>();
      for (const bytes of [options.smallBytes, options.largeBytes]) prepared.set(bytes, await prepareTopic(platform, source, bytes, round, workDir));
      for (const bytes of rotate([options.smallBytes, options.largeBytes], round - 1)) {
        const { topic, fill, diskBytes } = prepared.get(bytes)!;
        const moved = await timeMove(platform, topic, MOVE_TIMEOUT_MS);
        await checkMoved(source, target, topic);
        const times = await workflowTimes(platform.temporal, moved.workflowId);
        progress(`round ${round}: moved ${topic} (${size(diskBytes)} on disk) in ${ms(moved.apiMs)}; workflow run ${ms(times.runMs)}`);
        moves.get(bytes)!.push({ topic, diskBytes, apiMs: moved.apiMs, startCallMs: moved.startCallMs, times, lag: moved.lag, fill });
      }
    }
    return { moves, warmUpMs };
  } finally {
    progress('stopping the worker, management, Temporal and the two clusters');
    await cleanup.run();
  }
}

async function measureReassignment(options: Options, runDir: string): Promise<{ runs: ReassignmentRun[]; fill: FillResult }> {
  const cleanup = new CleanupStack(progress);
  const workDir = join(runDir, 'tools');
  try {
    progress(`starting a 3-broker Kafka cluster (ports ${TRIPLE.basePort}-${TRIPLE.basePort + 2})`);
    const triple = await startCluster({ ...TRIPLE, brokers: 3, runDir, heapMb: HEAP_MB });
    cleanup.push(`Kafka ${triple.name}`, () => triple.stop());
    const topic = unique('reassign');
    const partitions = Array.from({ length: PARTITIONS }, (_, p) => p);
    await createPinnedTopic(triple.bootstrap, topic, partitions.map((partition) => ({ partition, replicas: [0] })));
    progress(`${topic}: replication factor 1, every partition on broker 0; filling with ${size(options.largeBytes)}`);
    const fill = await fillTopic({ bootstrap: triple.bootstrap, topic, bytes: options.largeBytes, workDir });
    progress(`${topic}: filled in ${seconds(fill.elapsedMs)} (${fill.mibPerSecond.toFixed(1)} MiB/s)`);

    const plans: { label: string; targets: PartitionTarget[]; throttle?: number }[] = [
      // Out of broker 0, half the partitions to each of the others.
      { label: 'unthrottled', targets: partitions.map((partition) => ({ partition, replicas: [1 + (partition % 2)] })) },
      // The same bytes back onto broker 0, at 50 MiB/s.
      { label: 'throttled', targets: partitions.map((partition) => ({ partition, replicas: [0] })), throttle: THROTTLE_BYTES_PER_SEC },
    ];
    const runs: ReassignmentRun[] = [];
    for (const plan of plans) {
      const diskBytes = topicDiskBytes(triple.dir, topic);
      progress(`${topic}: ReassignPartitionsCommand --execute${plan.throttle === undefined ? '' : ` --throttle ${plan.throttle}`} → ${plan.targets.map((t) => `${t.partition}:[${t.replicas.join()}]`).join(' ')}`);
      const timing = await timeReassignment({
        bootstrap: triple.bootstrap,
        topic,
        targets: plan.targets,
        workDir,
        label: plan.label,
        ...(plan.throttle === undefined ? {} : { throttleBytesPerSec: plan.throttle }),
      });
      progress(`${plan.label}: copied in ${seconds(timing.copiedMs)}, --verify completed after ${seconds(timing.verifiedMs)} (${timing.verifyRuns} --verify runs)`);
      runs.push({ label: plan.label, diskBytes, timing });
    }
    return { runs, fill };
  } finally {
    progress('stopping the 3-broker cluster');
    await cleanup.run();
  }
}

function medianOf(runs: readonly MoveRun[], pick: (run: MoveRun) => number): number {
  return median(runs.map(pick));
}

/** What the moves' drain checks answered last: groups found and records they had left. */
function drainSummary(runs: readonly MoveRun[]): string {
  const answers = runs.map((run) => `${Object.keys(run.lag).length} group(s), ${Object.values(run.lag).reduce((sum, left) => sum + left, 0)} records left`);
  const distinct = [...new Set(answers)];
  return distinct.length === 1 ? `every move's saw ${distinct[0]}` : `the moves' saw ${distinct.join(' / ')}`;
}

function activityLine(runs: readonly MoveRun[]): string {
  const types = [...new Set(runs.flatMap((run) => [...run.times.activities.keys()]))];
  return types
    .map((type) => {
      const calls = runs[0]?.times.activities.get(type)?.calls ?? 0;
      return `${type}${calls > 1 ? ` ×${calls}` : ''} ${ms(median(runs.map((run) => run.times.activities.get(type)?.ms ?? 0)))}`;
    })
    .join(', ');
}

function tables(options: Options, moves: ReadonlyMap<number, MoveRun[]>, reassignments: readonly ReassignmentRun[]): { table: string; notes: string[]; ratio: number; current: CurrentFigure[] } {
  const small = moves.get(options.smallBytes) ?? [];
  const large = moves.get(options.largeBytes) ?? [];
  const largeApi = medianOf(large, (run) => run.apiMs);
  const moveRow = (runs: readonly MoveRun[]): string[] => [
    `Flotilla topic move ${SOURCE.name} → ${TARGET.name}: operations.moveTopic → status completed`,
    size(median(runs.map((run) => run.diskBytes))),
    String(runs.length),
    ms(medianOf(runs, (run) => run.apiMs)),
    runs.map((run) => integer.format(run.apiMs)).join(' / '),
    ms(medianOf(runs, (run) => run.times.runMs)),
    (medianOf(runs, (run) => run.apiMs) / largeApi).toFixed(2),
  ];
  const reassignmentRow = (run: ReassignmentRun): string[] => [
    run.label === 'unthrottled'
      ? 'Kafka ReassignPartitionsCommand, broker 0 → brokers 1, 2, unthrottled: --execute → --verify completed'
      : `Kafka ReassignPartitionsCommand, brokers 1, 2 → broker 0, --throttle ${THROTTLE_BYTES_PER_SEC}: --execute → --verify completed`,
    size(run.diskBytes),
    '1',
    ms(run.timing.verifiedMs),
    '',
    `copied after ${ms(run.timing.copiedMs)}`,
    (run.timing.verifiedMs / largeApi).toFixed(1),
  ];
  const table = markdownTable(
    ['operation', 'data in the topic', 'runs', 'time (median)', 'each run, ms', 'workflow run / copy done', `÷ move of ${size(options.largeBytes)}`],
    [moveRow(small), moveRow(large), ...reassignments.map(reassignmentRow)],
    [1, 2, 3, 4, 5, 6],
  );
  const ratio = largeApi / medianOf(small, (run) => run.apiMs);
  const runRatio = medianOf(large, (run) => run.times.runMs) / medianOf(small, (run) => run.times.runMs);
  const notes = [
    `move ${size(options.largeBytes)} ÷ move ${size(options.smallBytes)}: ${ratio.toFixed(2)} on operations.moveTopic → completed (goal ≤ ${GOAL_RATIO}: ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'}), ${runRatio.toFixed(2)} on Temporal's start → close of the workflow run; ` +
      `spread (max − min) / median of the runs: ${percent(spread(small.map((run) => run.apiMs)))} (${size(options.smallBytes)}), ${percent(spread(large.map((run) => run.apiMs)))} (${size(options.largeBytes)})`,
    `the moveTopic call itself (checks, operation row, workflow start): median ${ms(medianOf(small, (run) => run.startCallMs))} (${size(options.smallBytes)}), ${ms(medianOf(large, (run) => run.startCallMs))} (${size(options.largeBytes)}); the rest is the workflow run plus up to ${STATUS_POLL_MS} ms until the status poll sees it`,
    `activities, scheduled → completed, median per move: ${size(options.smallBytes)}: ${activityLine(small)}; ${size(options.largeBytes)}: ${activityLine(large)}`,
    `drain check: ${drainSummary([...small, ...large])} (each topic had one consumer group that had read all of it)`,
  ];
  for (const run of reassignments) {
    notes.push(
      `reassignment ${run.label}: replicas on their targets (admin client, polled every 200 ms) after ${ms(run.timing.copiedMs)}, ${mibPerSec(run.diskBytes, run.timing.copiedMs)} overall; ` +
        `--execute itself ran ${ms(run.timing.executeMs)} (mostly its JVM start), counted from its return the copy ran at most ${mibPerSec(run.diskBytes, run.timing.copiedMs - run.timing.executeMs)}; ` +
        `${run.timing.verifyRuns} --verify run(s), 1 s apart, each a JVM start${run.timing.mismatchRuns > 0 ? ` (${run.timing.mismatchRuns} saw the controller done but a broker's metadata not yet)` : ''}${run.timing.throttleNote ? `; the last: ${run.timing.throttleNote}` : ''}`,
    );
  }
  const unthrottled = reassignments.find((run) => run.label === 'unthrottled');
  const current: CurrentFigure[] = [
    {
      what: `topic move, operations.moveTopic → completed: ${size(options.largeBytes)} ÷ ${size(options.smallBytes)}`,
      figure:
        `${ratio.toFixed(2)} (${ms(largeApi)} against ${ms(medianOf(small, (run) => run.apiMs))})` +
        (unthrottled ? `; Kafka's unthrottled reassignment of ${size(unthrottled.diskBytes)}: ${ms(unthrottled.timing.verifiedMs)}` : ''),
      goal: `≤ ${GOAL_RATIO}`,
      verdict: ratio <= GOAL_RATIO ? 'met' : 'missed',
    },
  ];
  return { table, notes, ratio, current };
}

function scenarioDescription(): string {
  return `### ${SCENARIO}

\`npm run bench -- ${SCENARIO} [--rounds R] [--quick] [--no-record]\` — what a topic move costs with ${size(DEFAULTS.smallBytes)} and with
${size(DEFAULTS.largeBytes)} in the topic, and what Kafka's partition reassignment costs to move the same ${size(DEFAULTS.largeBytes)}. Goal
(issue #5, ARCHITECTURE.md §4): move of ${size(DEFAULTS.largeBytes)} ÷ move of ${size(DEFAULTS.smallBytes)} ≤ ${GOAL_RATIO}. About 4 minutes on 2 cores with the
defaults (${DEFAULTS.rounds} rounds), most of it filling and reading topics; ${size(3 * DEFAULTS.largeBytes + DISK_MARGIN_BYTES)} of free disk wanted.

- Moves: two single-broker clusters (KRaft, loopback, ports ${SOURCE.basePort} and ${TARGET.basePort}, heap ${HEAP_MB} MiB)
  registered as medium-tier fronting clusters with the real management service (in the bench's
  process, PGlite), a Temporal dev server (port ${TEMPORAL_PORT}) and the worker (\`apps/worker/src/main.ts\`,
  a child process). Each topic is created through \`topics.create\` (${PARTITIONS} partitions), filled by
  Kafka's ProducerPerformance (${FILL_RECORD_BYTES} B records, \`${FILL_PRODUCER_PROPS.join(' ')}\`), then read to its end by one
  consumer group (ConsumerPerformance), so the move's drain check finds a group with nothing left
  on the source. No producer is running: the switch check finds no producer to wait for.
- A move: \`operations.moveTopic({ to, pollMs: ${MOVE_POLL_MS} })\` with the admin token, timed from the call until
  \`operations.status\` (asked every ${STATUS_POLL_MS} ms) says completed: create on the target, the three mapping
  versions, the switch and drain checks, deleting the source topic. Afterwards the topic must be
  gone from the source, on the target with ${PARTITIONS} partitions and placed there only. Each round fills
  a fresh topic of each size, then moves both (the order alternates); one unmeasured move first
  (the worker bundles its workflows then). The entry also gives Temporal's own start → close of
  each workflow run and the time per activity from the workflow's history.
- Peer: Kafka's \`org.apache.kafka.tools.reassign.ReassignPartitionsCommand\` from the project's jars, on
  a 3-broker cluster (ports ${TRIPLE.basePort}–${TRIPLE.basePort + 2}) with one ${size(DEFAULTS.largeBytes)} topic of ${PARTITIONS} partitions, replication factor 1,
  filled the same way, all on broker 0. Unthrottled: to brokers 1 and 2 (two partitions each);
  then throttled (\`--throttle ${THROTTLE_BYTES_PER_SEC}\`, 50 MiB/s): the same bytes back onto broker 0. Timed from
  starting \`--execute\` until a \`--verify\` run (one per second, each a fresh JVM, as an operator would
  run them) reports every partition completed; *copy done* is when an admin client in the bench
  (polling every 200 ms) saw every partition on its target replicas only.
- The ratio column divides every time by the median move of the ${size(DEFAULTS.largeBytes)} topic. The topic sizes are
  the bytes of the partitions' \`.log\` files on disk. Everything runs on one machine and its disk:
  filling and reading leave the data in the page cache, which favours the reassignment's reads.
  \`--quick\` (${size(QUICK.smallBytes)} and ${size(QUICK.largeBytes)}, one round) is not recorded.
`;
}

function resultsEntry(machine: MachineInfo, options: Options, facts: RunFacts, moves: ReadonlyMap<number, MoveRun[]>, reassignFill: FillResult, table: string, notes: readonly string[]): string {
  const busy = facts.load.before > machine.cpus / 2 || facts.load.after > machine.cpus;
  const fills = [options.smallBytes, options.largeBytes].map((bytes) => {
    const runs = moves.get(bytes) ?? [];
    return `${size(bytes)} in ${seconds(median(runs.map((run) => run.fill.elapsedMs)))} (median; ${median(runs.map((run) => run.fill.mibPerSecond)).toFixed(1)} MiB/s by the tool's count)`;
  });
  return `
## ${SCENARIO} — ${machine.date}

- machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM; Node ${machine.node}; ${machine.java}
- software: ${machine.clients}
- load average (1 min) before the run ${facts.load.before.toFixed(2)}, at its end ${facts.load.after.toFixed(2)}${busy ? ': other processes on the machine share its CPUs' : ''}; ${size(facts.freeBytesBefore)} free on the disk before
- rounds: ${options.rounds} moves per size; warm-up move ${ms(facts.warmUpMs)}; filling took ${fills.join(', ')}; the reassignment topic ${seconds(reassignFill.elapsedMs)}

${table}

${notes.map((n) => `- ${n}`).join('\n')}
`;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const runDir = stateDir('bench-move-run');
  await Promise.all([ensureKafkaJars(progress), ensureTemporalCli()]);
  // Leftovers of an interrupted run: their brokers stopped, their topics gone.
  await stopLeftovers(runDir);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const freeBytesBefore = (({ bavail, bsize }) => bavail * bsize)(statfsSync(runDir));
  const needed = 3 * options.largeBytes + DISK_MARGIN_BYTES;
  progress(`${size(freeBytesBefore)} free on the disk of ${runDir}; the run writes about ${size(3 * options.largeBytes)} at most at once`);
  if (freeBytesBefore < needed) throw new Error(`only ${size(freeBytesBefore)} free under ${runDir}; this run needs about ${size(needed)}`);

  const machine = await machineInfo();
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > machine.cpus / 2) progress(`load average is ${loadBefore.toFixed(2)} on ${machine.cpus} CPUs: other processes will make the figures noisy`);
  let succeeded = false;
  try {
    const { moves, warmUpMs } = await measureMoves(options, runDir);
    const reassignment = await measureReassignment(options, runDir);
    const facts: RunFacts = { freeBytesBefore, load: { before: loadBefore, after: loadavg()[0] ?? 0 }, warmUpMs };
    const { table, notes, current } = tables(options, moves, reassignment.runs);
    console.log(`${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}`);
    if (options.record) {
      recordResult(RESULTS_PATH, {
        scenario: SCENARIO,
        description: scenarioDescription(),
        entry: resultsEntry(machine, options, facts, moves, reassignment.fill, table, notes),
        date: machine.date,
        current,
      });
      progress(`recorded in ${RESULTS_PATH}`);
    } else {
      progress(options.quick ? '--quick: not recorded' : '--no-record: not recorded');
    }
    succeeded = true;
    return 0;
  } finally {
    // Gigabytes of topic data on a shared disk: always removed; logs are kept after a failure.
    if (succeeded) rmSync(runDir, { recursive: true, force: true });
    else {
      for (const cluster of [SOURCE.name, TARGET.name, TRIPLE.name]) {
        for (const broker of [0, 1, 2]) rmSync(join(runDir, cluster, `broker-${broker}`, 'data'), { recursive: true, force: true });
      }
      progress(`failed: topic data removed; logs kept in ${runDir}`);
    }
  }
}

runBenchMain(main, USAGE);
