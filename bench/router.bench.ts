// The router (apps/router) against MirrorMaker 2 between a fronting and a consumer cluster, on
// the same clusters, with the same records, in the same run (issue #23): records/s, MiB/s and CPU
// seconds per million records of a plain copy route and of a filter + projection route, and
// end-to-end latency at a fixed rate. The router is the real one: a child process following a real
// management service, which the route is added through. Table to stdout, progress to stderr, an
// entry appended to bench/RESULTS.md.
//
//   npm run bench -- router [--records N] [--size B] [--rounds R] [--quick] [--no-record]
//                           [--latency-rounds R] [--latency-seconds S] [--no-latency] [--router-cpu-prof]
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Admin, Producer } from 'kafkajs';
import { ensureKafkaJars, startCluster, stopLeftovers, type KafkaCluster } from '@flotilla/local-kafka';
import { stateDir } from '@flotilla/local-runtime';
import { parseBenchOptions, runBenchMain, type SizeRun } from './lib/bench-options';
import { CleanupStack } from './lib/cleanup-stack';
import { benchKafka, endOffsetSum, evenCount, fillTopic, jsonValue, readLatencies, sendPaced, withAdmin } from './lib/json-records';
import { summarizeLatencies } from './lib/latency-percentiles';
import { machineInfo, type MachineInfo } from './lib/machine-info';
import { markdownTable } from './lib/markdown-table';
import { mirrorMakerLogTail, mirrorMakerProperties, startMirrorMaker, type MirrorMakerProcess } from './lib/mirror-maker';
import { judgePaired, type PairedJudgement } from './lib/paired-verdict';
import { clockTicksPerSecond, processCpuSeconds } from './lib/process-cpu';
import { recordResult, type CurrentFigure } from './lib/results-file';
import { sizeLabel } from './lib/results-table';
import { median, medianInterval, rotate, spread } from './lib/round-stats';
import { startRouterBenchPlatform, type RouterBenchPlatform } from './lib/router-bench-platform';

const SCENARIO = 'router';
const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
const MiB = 1024 * 1024;
const DEFAULTS = { small: 500_000, large: 200_000, rounds: 5 };
const QUICK = { small: 100_000, large: 30_000, rounds: 1 };
const LATENCY_DEFAULTS = { rounds: 5, seconds: 10 };
const LATENCY_QUICK = { rounds: 1, seconds: 4 };
/** Goal of issue #23: router records per CPU second ÷ MirrorMaker 2's, at least; 1.5 the stretch. */
const GOAL = 1.0;
const STRETCH = 1.5;
const PARTITIONS = 3;
// Ports clear of `npm start` (19092…), test runs (+5000, +6000, +8000, +10000), the client
// bench (24592), the move bench (21092…) and the Linux ephemeral range.
const FRONTING_CLUSTER = { name: 'router-fronting', basePort: 25092 };
const CONSUMER_CLUSTER = { name: 'router-consumer', basePort: 25192 };
const ROUTER_PORT = 25490;
const BROKER_HEAP_MB = 512;
const MM2_HEAP_MB = 1024;
/** How often the destination's end offsets (and the copiers' CPU time) are read: the clock's resolution. */
const POLL_MS = 50;
const COPY_TIMEOUT_MS = 5 * 60_000;
/** A copier that has not written its first record by then is stuck (MirrorMaker's start included). */
const START_TIMEOUT_MS = 120_000;
const FILTER_STEPS = [{ filter: 'value.even' }, { project: { keep: ['seq', 'even'] } }];

type Contender = 'mm2' | 'copy' | 'filter';
const CONTENDERS: readonly Contender[] = ['mm2', 'copy', 'filter'];
const LABEL: Record<Contender, string> = {
  mm2: 'MirrorMaker 2 (copy)',
  copy: 'router, copy route',
  filter: 'router, filter + projection route',
};

interface Options {
  sizes: SizeRun[];
  rounds: number;
  record: boolean;
  quick: boolean;
  latency: boolean;
  latencyRounds: number;
  latencySeconds: number;
  cpuProfile: boolean;
}

const USAGE = `usage: npm run bench -- ${SCENARIO} [--records N] [--size B] [--rounds R] [--quick] [--no-record] [--latency-rounds R] [--latency-seconds S] [--no-latency] [--router-cpu-prof]
  --records N          records per round and size (default ${DEFAULTS.small} × 100 B, ${DEFAULTS.large} × 1 KB)
  --size B             100 or 1024: one record size only (repeatable)
  --rounds R           rounds of the throughput measurements (default ${DEFAULTS.rounds})
  --latency-rounds R   rounds of the latency measurement (default ${LATENCY_DEFAULTS.rounds})
  --latency-seconds S  paced seconds per contender and latency round (default ${LATENCY_DEFAULTS.seconds})
  --no-latency         throughput only
  --router-cpu-prof    run the router with --cpu-prof (profile in the run directory, kept)
  --quick              ${QUICK.small} × 100 B and ${QUICK.large} × 1 KB, ${QUICK.rounds} round, short latency; not recorded
  --no-record          print the table only; do not append to bench/RESULTS.md`;

function parseOptions(argv: string[]): Options {
  const common = parseBenchOptions(argv, { defaults: DEFAULTS, quick: QUICK }, USAGE, ['no-latency', 'router-cpu-prof'], ['latency-rounds', 'latency-seconds']);
  const latency = common.quick ? LATENCY_QUICK : LATENCY_DEFAULTS;
  return {
    sizes: common.sizes,
    rounds: common.rounds,
    record: common.record,
    quick: common.quick,
    latency: common.flags['no-latency'] !== true,
    latencyRounds: common.integers['latency-rounds'] ?? latency.rounds,
    latencySeconds: common.integers['latency-seconds'] ?? latency.seconds,
    cpuProfile: common.flags['router-cpu-prof'] === true,
  };
}

function progress(line: string): void {
  process.stderr.write(`\x1b[36m==>\x1b[0m ${line}\n`);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = (fraction: number, digits = 0): string => `${(fraction * 100).toFixed(digits)}%`;
const unique = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

/** One copier moving one pre-filled topic, timed from its first record at the destination to its last. */
interface CopyRun {
  contender: Contender;
  recordSize: number;
  round: number;
  /** Records in the source topic. */
  sourceRecords: number;
  /** Records the destination must end with. */
  expected: number;
  /** Start (route added, JVM spawned) → first record at the destination. */
  leadInMs: number;
  /** First record seen at the destination → the last. */
  windowMs: number;
  /** Source records the window covers (for the filter route: its output scaled by source ÷ expected). */
  windowRecords: number;
  /** CPU seconds of the copier process (all threads) over the window. */
  cpuSeconds: number;
  /** CPU seconds of both brokers over the window: context, the copier's writes cost the broker too. */
  brokerCpuSeconds: number;
  /** Records at the destination beyond the expected (duplicates) when the count was reached. */
  extra: number;
  /** The same over the window's second half (from half the records on): the copier warm. */
  secondHalf: { windowMs: number; windowRecords: number; cpuSeconds: number };
}

const recordsPerSecond = (run: CopyRun): number => run.windowRecords / (run.windowMs / 1000);
const recordsPerCpuSecond = (run: CopyRun): number => run.windowRecords / run.cpuSeconds;
const cpuPerMillion = (run: CopyRun): number => run.cpuSeconds / (run.windowRecords / 1e6);
const brokerCpuPerMillion = (run: CopyRun): number => run.brokerCpuSeconds / (run.windowRecords / 1e6);
const warmRecordsPerCpuSecond = (run: CopyRun): number => run.secondHalf.windowRecords / run.secondHalf.cpuSeconds;

interface LatencyRun {
  contender: Contender;
  round: number;
  latenciesMs: number[];
  p50: number;
  p99: number;
  maxLagMs: number;
}

interface Clusters {
  fronting: KafkaCluster;
  consumer: KafkaCluster;
}

function brokerCpu(clusters: Clusters): number {
  return [...clusters.fronting.pids(), ...clusters.consumer.pids()].reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
}

/** What starts one contender on a source topic and stops it; `pid` is the process charged for it. */
interface Copier {
  start(): Promise<{ pid: number; failed: () => string | undefined }>;
  stop(): Promise<void>;
}

function mm2Copier(clusters: Clusters, source: string, workDir: string, cleanup: CleanupStack): Copier {
  let mm2: MirrorMakerProcess | undefined;
  return {
    async start() {
      const started = startMirrorMaker({
        // A fresh source alias per run: MirrorMaker's connect topics (configs, offsets, status) are its own.
        name: `mm2-${source}`,
        sourceBootstrap: clusters.fronting.bootstrap,
        targetBootstrap: clusters.consumer.bootstrap,
        topics: [source],
        tasks: PARTITIONS,
        heapMb: MM2_HEAP_MB,
        workDir,
      });
      mm2 = started;
      cleanup.push(`MirrorMaker 2 for ${source}`, () => started.stop());
      return { pid: started.pid, failed: () => (started.exited() ? `MirrorMaker 2 exited:\n${mirrorMakerLogTail(started)}` : undefined) };
    },
    async stop() {
      await mm2?.stop();
    },
  };
}

function routeCopier(platform: RouterBenchPlatform, definition: { name: string; source: string; destination: string; steps: unknown[]; deadLetterTopic: string }): Copier {
  return {
    async start() {
      await platform.addRoute({
        name: definition.name,
        source: definition.source,
        destinations: [{ topic: definition.destination }],
        steps: definition.steps,
        deadLetterTopic: definition.deadLetterTopic,
      });
      return { pid: platform.routerPid, failed: () => undefined };
    },
    async stop() {
      await platform.removeRoute(definition.name);
    },
  };
}

/**
 * Starts `copier`, then reads the destination's end offsets and the copier's CPU time every
 * POLL_MS: the window runs from the first read that sees records at the destination to the one
 * that sees them all, and counts the records and CPU seconds between those two reads only.
 */
async function timeCopy(clusters: Clusters, copier: Copier, destination: string, expected: number, sourceRecords: number): Promise<Omit<CopyRun, 'contender' | 'recordSize' | 'round'>> {
  return withAdmin(clusters.consumer.bootstrap, (admin) => timeCopyWith(admin, clusters, copier, destination, expected, sourceRecords));
}

async function timeCopyWith(admin: Admin, clusters: Clusters, copier: Copier, destination: string, expected: number, sourceRecords: number): Promise<Omit<CopyRun, 'contender' | 'recordSize' | 'round'>> {
  const started = performance.now();
  const { pid, failed } = await copier.start();
  let first: { at: number; count: number; cpu: number; broker: number } | undefined;
  let middle: { at: number; count: number; cpu: number } | undefined;
  const scale = sourceRecords / expected;
  try {
    for (;;) {
      const count = await endOffsetSum(admin, destination);
      const at = performance.now();
      const cpu = processCpuSeconds(pid);
      const broker = brokerCpu(clusters);
      if (count > 0 && first === undefined) first = { at, count, cpu, broker };
      if (first && middle === undefined && count - first.count >= (expected - first.count) / 2) middle = { at, count, cpu };
      if (first && middle && count >= expected) {
        const windowOut = count - first.count;
        return {
          secondHalf: { windowMs: at - middle.at, windowRecords: (Math.min(count, expected) - middle.count) * scale, cpuSeconds: cpu - middle.cpu },
          sourceRecords,
          expected,
          leadInMs: first.at - started,
          windowMs: at - first.at,
          windowRecords: Math.min(windowOut, expected) * scale,
          cpuSeconds: cpu - first.cpu,
          brokerCpuSeconds: broker - first.broker,
          extra: count - expected,
        };
      }
      const failure = failed();
      if (failure !== undefined) throw new Error(failure);
      if (!first && at - started > START_TIMEOUT_MS) throw new Error(`no record reached ${destination} within ${START_TIMEOUT_MS / 1000} s`);
      if (at - started > COPY_TIMEOUT_MS) throw new Error(`${destination} has ${count} of ${expected} records after ${COPY_TIMEOUT_MS / 1000} s`);
      await sleep(POLL_MS);
    }
  } finally {
    await copier.stop();
  }
}

/** A round's topics: the source on the fronting cluster, each contender's destination on the consumer cluster. */
interface RoundTopics {
  source: string;
  destination: Record<Contender, string>;
  deadLetter: string;
}

async function createRoundTopics(platform: RouterBenchPlatform, clusters: Clusters, prefix: string, logAppendTime: boolean): Promise<RoundTopics> {
  const source = unique(prefix);
  const topics: RoundTopics = { source, destination: { mm2: source, copy: `${source}-copy`, filter: `${source}-even` }, deadLetter: `${source}-dlq` };
  await platform.sourceTopic(source, PARTITIONS);
  await platform.consumerTopic(topics.destination.copy, PARTITIONS);
  await platform.consumerTopic(topics.destination.filter, PARTITIONS);
  await platform.consumerTopic(topics.deadLetter, 1);
  // MirrorMaker's target is created by hand, as MirrorMaker itself would (same name and partitions),
  // so that it can carry the same topic configuration as the router's destinations.
  await withAdmin(clusters.consumer.bootstrap, async (admin) => {
    await admin.createTopics({ topics: [{ topic: source, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    if (logAppendTime) {
      // Latency rounds: the destinations stamp each batch with the instant it was appended.
      await admin.alterConfigs({
        validateOnly: false,
        resources: Object.values(topics.destination).map((name) => ({ type: 2, name, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] })),
      });
    }
  });
  return topics;
}

async function deleteRoundTopics(clusters: Clusters, topics: RoundTopics): Promise<void> {
  const remove = (bootstrap: readonly string[], names: string[]) => withAdmin(bootstrap, (admin) => admin.deleteTopics({ topics: names })).catch(() => undefined);
  await remove(clusters.consumer.bootstrap, [...Object.values(topics.destination), topics.deadLetter]);
  await remove(clusters.fronting.bootstrap, [topics.source]);
}

function copierFor(contender: Contender, clusters: Clusters, platform: RouterBenchPlatform, topics: RoundTopics, source: string, workDir: string, cleanup: CleanupStack): Copier {
  if (contender === 'mm2') return mm2Copier(clusters, source, workDir, cleanup);
  return routeCopier(platform, {
    name: topics.destination[contender],
    source,
    destination: topics.destination[contender],
    steps: contender === 'filter' ? FILTER_STEPS : [],
    deadLetterTopic: topics.deadLetter,
  });
}

async function measureThroughput(options: Options, clusters: Clusters, platform: RouterBenchPlatform, workDir: string, cleanup: CleanupStack): Promise<CopyRun[]> {
  const runs: CopyRun[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const { recordSize, records } of options.sizes) {
      // One source per round and size, read by every contender: the same records, equally warm in the page cache.
      const topics = await createRoundTopics(platform, clusters, `rb-${recordSize}b-r${round}`, false);
      progress(`round ${round}, ${sizeLabel(recordSize)}: filling ${topics.source} with ${integer.format(records)} records`);
      await fillTopic(clusters.fronting.bootstrap, topics.source, records, recordSize, PARTITIONS);
      for (const contender of rotate(CONTENDERS, round - 1 + (recordSize === 100 ? 0 : 1))) {
        const expected = contender === 'filter' ? evenCount(0, records) : records;
        const copier = copierFor(contender, clusters, platform, topics, topics.source, workDir, cleanup);
        const run = { contender, recordSize, round, ...(await timeCopy(clusters, copier, topics.destination[contender], expected, records)) };
        progress(
          `round ${round}, ${sizeLabel(recordSize)}, ${LABEL[contender]}: ${integer.format(recordsPerSecond(run))} records/s, ` +
            `${cpuPerMillion(run).toFixed(2)} CPU s per million (${integer.format(recordsPerCpuSecond(run))} records per CPU s), lead-in ${integer.format(run.leadInMs)} ms` +
            (run.extra > 0 ? `, ${run.extra} duplicate(s)` : ''),
        );
        runs.push(run);
        // Let the stopped copier's last work (JVM exit, the route's consumer leaving) settle.
        await sleep(1_000);
      }
      await deleteRoundTopics(clusters, topics);
    }
  }
  return runs;
}

/** Produces one priming record (even, no send-instant header) every 200 ms until the destination has one. */
async function prime(clusters: Clusters, source: string, destination: string, size: number, failed: () => string | undefined): Promise<number> {
  const producer = benchKafka(clusters.fronting.bootstrap, 'bench-router-prime').producer();
  await producer.connect();
  try {
    return await withAdmin(clusters.consumer.bootstrap, (admin) => primeWith(producer, admin, source, destination, size, failed));
  } finally {
    await producer.disconnect();
  }
}

async function primeWith(producer: Producer, admin: Admin, source: string, destination: string, size: number, failed: () => string | undefined): Promise<number> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let primes = 0; ; ) {
    await producer.send({ topic: source, acks: -1, messages: [{ value: jsonValue(2 * primes, size), partition: primes % PARTITIONS }] });
    primes += 1;
    for (let i = 0; i < 4; i++) {
      await sleep(50);
      if ((await endOffsetSum(admin, destination)) > 0) return primes;
    }
    const failure = failed();
    if (failure !== undefined) throw new Error(failure);
    if (Date.now() > deadline) throw new Error(`no priming record reached ${destination} within ${START_TIMEOUT_MS / 1000} s`);
  }
}

async function measureLatency(options: Options, rate: number, recordSize: number, clusters: Clusters, platform: RouterBenchPlatform, workDir: string, cleanup: CleanupStack): Promise<LatencyRun[]> {
  const runs: LatencyRun[] = [];
  const records = Math.round(rate * options.latencySeconds);
  const firstSeq = 1_000_000;
  for (let round = 1; round <= options.latencyRounds; round++) {
    for (const contender of rotate(CONTENDERS, round - 1)) {
      // A source of its own per contender: each starts on an empty topic and sees only its paced records.
      const topics = await createRoundTopics(platform, clusters, `rl-${contender}-r${round}`, true);
      const copier = copierFor(contender, clusters, platform, topics, topics.source, workDir, cleanup);
      const { failed } = await copier.start();
      let maxLagMs: number;
      let primes: number;
      try {
        primes = await prime(clusters, topics.source, topics.destination[contender], recordSize, failed);
        // The copier has been running a moment: its first fetches and batches are behind it.
        await sleep(1_000);
        ({ maxLagMs } = await sendPaced({ bootstrap: clusters.fronting.bootstrap, topic: topics.source, size: recordSize, partitions: PARTITIONS, firstSeq, records, ratePerSecond: rate }));
        const expected = primes + (contender === 'filter' ? evenCount(firstSeq, records) : records);
        await withAdmin(clusters.consumer.bootstrap, async (admin) => {
          const deadline = Date.now() + COPY_TIMEOUT_MS;
          while ((await endOffsetSum(admin, topics.destination[contender])) < expected) {
            if (Date.now() > deadline) throw new Error(`${topics.destination[contender]} did not reach ${expected} records`);
            const failure = failed();
            if (failure !== undefined) throw new Error(failure);
            await sleep(POLL_MS);
          }
        });
      } finally {
        await copier.stop();
      }
      const expected = primes + (contender === 'filter' ? evenCount(firstSeq, records) : records);
      const latenciesMs = await readLatencies(clusters.consumer.bootstrap, topics.destination[contender], expected, COPY_TIMEOUT_MS);
      const summary = summarizeLatencies(latenciesMs);
      runs.push({ contender, round, latenciesMs, p50: summary.p50, p99: summary.p99, maxLagMs });
      progress(`latency round ${round}, ${LABEL[contender]}: p50 ${summary.p50} ms, p99 ${summary.p99} ms over ${integer.format(summary.count)} records; latest send ${maxLagMs.toFixed(1)} ms behind`);
      await deleteRoundTopics(clusters, topics);
      await sleep(1_000);
    }
  }
  return runs;
}

interface Measured {
  copies: CopyRun[];
  latency: { rate: number; recordSize: number; runs: LatencyRun[] } | undefined;
  profileDir: string | undefined;
}

async function measure(options: Options, runDir: string): Promise<Measured> {
  const cleanup = new CleanupStack(progress);
  const workDir = join(runDir, 'tools');
  mkdirSync(workDir, { recursive: true });
  const profileDir = options.cpuProfile ? join(runDir, 'router-cpu-profile') : undefined;
  try {
    progress(`starting two single-broker Kafka clusters (ports ${FRONTING_CLUSTER.basePort}, ${CONSUMER_CLUSTER.basePort}, heap ${BROKER_HEAP_MB} MiB)`);
    const started = await Promise.allSettled([FRONTING_CLUSTER, CONSUMER_CLUSTER].map((spec) => startCluster({ ...spec, runDir, heapMb: BROKER_HEAP_MB })));
    for (const cluster of started) if (cluster.status === 'fulfilled') cleanup.push(`Kafka ${cluster.value.name}`, () => cluster.value.stop());
    const failed = started.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (failed) throw failed.reason;
    const [fronting, consumer] = started.map((c) => (c as PromiseFulfilledResult<KafkaCluster>).value) as [KafkaCluster, KafkaCluster];
    const clusters: Clusters = { fronting, consumer };

    const platform = await startRouterBenchPlatform({
      fronting,
      consumer,
      runDir,
      routerPort: ROUTER_PORT,
      routerNodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      cleanup,
      progress,
    });

    // Unmeasured: every contender once over a small topic, so the router's code is warm, the
    // route path has run and MirrorMaker's jars are in the page cache.
    progress('warm-up (not measured): every contender over 20,000 records');
    const warm = await createRoundTopics(platform, clusters, 'rb-warm', false);
    await fillTopic(fronting.bootstrap, warm.source, 20_000, 100, PARTITIONS);
    for (const contender of CONTENDERS) {
      const copier = copierFor(contender, clusters, platform, warm, warm.source, workDir, cleanup);
      await timeCopy(clusters, copier, warm.destination[contender], contender === 'filter' ? evenCount(0, 20_000) : 20_000, 20_000);
    }
    await deleteRoundTopics(clusters, warm);

    const copies = await measureThroughput(options, clusters, platform, workDir, cleanup);
    let latency: Measured['latency'];
    if (options.latency) {
      const recordSize = options.sizes[0]!.recordSize;
      const saturation = Math.min(...(['mm2', 'copy'] as const).map((c) => median(copies.filter((r) => r.contender === c && r.recordSize === recordSize).map(recordsPerSecond))));
      const rate = Math.max(100, Math.round(saturation / 2 / 100) * 100);
      progress(`latency: ${sizeLabel(recordSize)} records at ${integer.format(rate)} records/s (half the slower one's saturation), ${options.latencySeconds} s per contender, ${options.latencyRounds} round(s)`);
      latency = { rate, recordSize, runs: await measureLatency(options, rate, recordSize, clusters, platform, workDir, cleanup) };
    }
    return { copies, latency, profileDir };
  } finally {
    progress('stopping the router, MirrorMaker, management and the two clusters');
    await cleanup.run();
  }
}

function intervalText(j: PairedJudgement, digits = 2): string {
  return `${j.median.toFixed(digits)} (${j.low.toFixed(digits)}–${j.high.toFixed(digits)})`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
}

function intervalWords(rounds: number): string {
  const { k, coverage } = medianInterval(Array.from({ length: rounds }, (_, i) => i));
  return k > 1 ? `the ${k}th smallest to the ${k}th largest of the ${rounds} paired values, covering ${percent(coverage, 1)}` : `the whole range of the ${rounds} paired value(s), covering ${percent(coverage, 1)}`;
}

const VERDICT_WORDS = { met: 'met', missed: 'missed', 'not decided': 'not decided', 'not judged': 'not judged (too few rounds)' } as const;

/** Per round, router ÷ MirrorMaker 2 of `figure` for one size and route. */
function pairs(copies: readonly CopyRun[], recordSize: number, contender: Contender, figure: (run: CopyRun) => number): number[] {
  const out: number[] = [];
  for (const run of copies.filter((r) => r.contender === contender && r.recordSize === recordSize)) {
    const peer = copies.find((r) => r.contender === 'mm2' && r.recordSize === recordSize && r.round === run.round);
    if (peer) out.push(figure(run) / figure(peer));
  }
  return out;
}

function report(options: Options, measured: Measured): { tables: string; notes: string[]; current: CurrentFigure[] } {
  const { copies, latency } = measured;
  const rows: string[][] = [];
  const notes: string[] = [];
  const current: CurrentFigure[] = [];
  for (const { recordSize, records } of options.sizes) {
    for (const contender of CONTENDERS) {
      const runs = copies.filter((r) => r.contender === contender && r.recordSize === recordSize);
      if (runs.length === 0) continue;
      const rate = median(runs.map(recordsPerSecond));
      const throughput = contender === 'mm2' ? undefined : judgePaired(pairs(copies, recordSize, contender, recordsPerSecond), { atLeast: GOAL });
      const perCpu = contender === 'mm2' ? undefined : judgePaired(pairs(copies, recordSize, contender, recordsPerCpuSecond), { atLeast: GOAL });
      const warmPerCpu = contender === 'mm2' ? undefined : judgePaired(pairs(copies, recordSize, contender, warmRecordsPerCpuSecond), { atLeast: GOAL });
      rows.push([
        sizeLabel(recordSize),
        LABEL[contender],
        integer.format(records),
        integer.format(runs[0]!.expected),
        integer.format(rate),
        ((rate * recordSize) / MiB).toFixed(2),
        percent(spread(runs.map(recordsPerSecond))),
        throughput ? intervalText(throughput) : '-',
        median(runs.map(cpuPerMillion)).toFixed(2),
        integer.format(median(runs.map(recordsPerCpuSecond))),
        perCpu ? intervalText(perCpu) : '-',
        integer.format(median(runs.map(warmRecordsPerCpuSecond))),
        warmPerCpu ? intervalText(warmPerCpu) : '-',
        median(runs.map(brokerCpuPerMillion)).toFixed(2),
        `${integer.format(median(runs.map((r) => r.leadInMs)))} ms`,
      ]);
      if (perCpu) {
        const mm2 = copies.filter((r) => r.contender === 'mm2' && r.recordSize === recordSize);
        const what = `${sizeLabel(recordSize)} ${contender === 'copy' ? 'copy route' : 'filter + projection route'}: records per CPU second, router ÷ MirrorMaker 2, paired`;
        const stretch = perCpu.verdict === 'met' && perCpu.low >= STRETCH ? `; stretch ${STRETCH.toFixed(1)} met` : '';
        // MirrorMaker pays its JIT warm-up inside the window; its warm cost is the second half's.
        const warm = warmPerCpu ? `; warm (2nd halves) ${intervalText(warmPerCpu)}: ${VERDICT_WORDS[warmPerCpu.verdict]}` : '';
        current.push({
          what,
          figure: `${intervalText(perCpu)}; ${integer.format(median(runs.map(recordsPerCpuSecond)))} against ${integer.format(median(mm2.map(recordsPerCpuSecond)))} records per CPU s`,
          goal: `≥ ${GOAL.toFixed(1)} (stretch ${STRETCH.toFixed(1)})`,
          verdict: `${VERDICT_WORDS[perCpu.verdict]}${stretch}${warm}`,
        });
        notes.push(
          `${what}: ${intervalText(perCpu)} — ${VERDICT_WORDS[perCpu.verdict]} against the ${GOAL.toFixed(1)} goal${perCpu.low >= STRETCH ? `, and the ${STRETCH.toFixed(1)} stretch` : perCpu.high < STRETCH ? `; below the ${STRETCH.toFixed(1)} stretch` : `; the ${STRETCH.toFixed(1)} stretch lies within the interval`}` +
            (warmPerCpu ? `; over the windows' second halves (MirrorMaker's JIT warm-up mostly behind it) ${intervalText(warmPerCpu)} — ${VERDICT_WORDS[warmPerCpu.verdict]}` : ''),
        );
      }
      const duplicates = runs.reduce((sum, r) => sum + r.extra, 0);
      if (duplicates > 0) notes.push(`${sizeLabel(recordSize)} ${LABEL[contender]}: ${duplicates} record(s) beyond the expected count at the destination (duplicates)`);
    }
  }
  const tables = [
    markdownTable(
      [
        'record',
        'copier',
        'source records',
        'written',
        'records/s',
        'MiB/s',
        'spread',
        'records/s ÷ MM2, paired',
        'CPU s per million',
        'records per CPU s',
        'per CPU s ÷ MM2, paired',
        'records per CPU s, 2nd half',
        '2nd half ÷ MM2, paired',
        'brokers CPU s per million',
        'lead-in',
      ],
      rows,
      [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
    ),
  ];
  notes.unshift(
    `records/s and MiB/s count source records (MiB = 2^20 B of values) from the first record at the destination to the last (the filter route's output scaled by source ÷ written); medians over ${options.rounds} round(s); spread = (max − min) / median; ` +
      `CPU s = utime + stime of the copier's process (all threads: the router's Node process with librdkafka's threads, MirrorMaker's JVM with its GC and JIT threads) over the same window; paired = router ÷ MirrorMaker 2 within each round, median and interval (${intervalWords(options.rounds)}) of the rounds; ` +
      `*2nd half*: the same over the second half of each window (from the read that saw half the records on), where MirrorMaker's JVM has most of its JIT compiling behind it (the goal is judged on the whole window); the filter route is paired with MirrorMaker 2's plain copy of the same records (MirrorMaker cannot filter on a value field); lead-in = route added (router) or JVM spawned (MirrorMaker) → first record at the destination, not in the figures`,
  );
  if (latency) {
    const latencyRows: string[][] = [];
    const p99Diff = (contender: Contender): number[] =>
      latency.runs
        .filter((r) => r.contender === contender)
        .flatMap((r) => {
          const peer = latency.runs.find((p) => p.contender === 'mm2' && p.round === r.round);
          return peer ? [r.p99 - peer.p99] : [];
        });
    for (const contender of CONTENDERS) {
      const runs = latency.runs.filter((r) => r.contender === contender);
      const pooled = summarizeLatencies(runs.flatMap((r) => r.latenciesMs));
      const diff = contender === 'mm2' ? undefined : judgePaired(p99Diff(contender), { atMost: 0 });
      latencyRows.push([
        sizeLabel(latency.recordSize),
        LABEL[contender],
        `${integer.format(latency.rate)}/s`,
        integer.format(pooled.count),
        `${pooled.p50} ms`,
        `${pooled.p99} ms`,
        `${pooled.max} ms`,
        diff ? `${signed(diff.median)} (${signed(diff.low)} – ${signed(diff.high)}) ms` : '-',
        `${Math.max(...runs.map((r) => r.maxLagMs)).toFixed(1)} ms`,
      ]);
      if (diff) {
        const mm2 = summarizeLatencies(latency.runs.filter((r) => r.contender === 'mm2').flatMap((r) => r.latenciesMs));
        const what = `end-to-end latency, ${sizeLabel(latency.recordSize)} at ${integer.format(latency.rate)} records/s, ${contender === 'copy' ? 'copy route' : 'filter + projection route'}: p50 / p99, router against MirrorMaker 2`;
        current.push({
          what,
          figure: `${pooled.p50} / ${pooled.p99} ms against ${mm2.p50} / ${mm2.p99} ms; p99 difference ${signed(diff.median)} (${signed(diff.low)} – ${signed(diff.high)}) ms`,
          goal: 'router p99 ≤ MirrorMaker 2 p99',
          verdict: VERDICT_WORDS[diff.verdict],
        });
        notes.push(`${what}: p99 difference ${signed(diff.median)} (${signed(diff.low)} – ${signed(diff.high)}) ms — ${VERDICT_WORDS[diff.verdict]} against router p99 ≤ MirrorMaker 2's`);
      }
    }
    tables.push(
      markdownTable(['record', 'copier', 'rate', 'records', 'p50', 'p99', 'max', 'p99 − MM2 p99, paired', 'latest send behind schedule'], latencyRows, [2, 3, 4, 5, 6, 7, 8]),
    );
    notes.push(
      `latency = the destination's log-append time (its topics set to message.timestamp.type=LogAppendTime) − the instant the bench handed the record to its producer (a header), both wall clock on this machine, ms resolution; ` +
        `open loop at half the slower of the two copiers' (MirrorMaker 2, router copy route) median saturation records/s above; p50 / p99 pooled over ${options.latencyRounds} round(s) of ${options.latencySeconds} s per contender; ` +
        `paired = router p99 − MirrorMaker 2 p99 within each round (${intervalWords(options.latencyRounds)}); the figure includes the source producer's own acknowledgement path, the same for every contender`,
    );
  }
  return { tables: tables.join('\n\n'), notes, current };
}

function settingsLines(): string[] {
  return [
    `router: apps/router/src/main.ts as a child process (\`node --import tsx\`), its defaults: kafkajs consumer (one group per route, partitionsConsumedConcurrently ${8}), node-rdkafka smart producer (acks=all, idempotent), one destination partition per source partition; routes added through management's tRPC \`routes.add\`, removed after each measurement`,
    `filter + projection route steps: \`${JSON.stringify(FILTER_STEPS)}\` (half the records pass; each is written as \`{"seq":n,"even":true}\`)`,
    `MirrorMaker 2: \`org.apache.kafka.connect.mirror.MirrorMaker <file> --clusters target\`, JVM -Xmx${MM2_HEAP_MB}m with kafka-run-class.sh's G1 flags, started per measurement (the JVM start is in its lead-in, not in the window; its JIT warm-up is in the window); properties: \`${mirrorMakerProperties({ name: '<alias>', sourceBootstrap: ['…'], targetBootstrap: ['…'], topics: ['<topic>'], tasks: PARTITIONS })
      .filter((line) => !line.includes('bootstrap'))
      .join('; ')}\`; everything else MirrorMaker's and Connect's defaults (its producers acks=all, max.in.flight 1 per connection, linger 0)`,
    `records: JSON values \`{"seq":n,"even":bool,"pad":"x…"}\` padded to exactly 100 B or 1 KB, no key, written round-robin over ${PARTITIONS} partitions by a kafkajs producer (acks=all, idempotent) before the copier starts; one source per round and size, copied by every contender in rotating order`,
  ];
}

function scenarioDescription(): string {
  return `### ${SCENARIO}

\`npm run bench -- ${SCENARIO} [--records N] [--size B] [--rounds R] [--quick] [--no-record] [--latency-rounds R] [--latency-seconds S] [--no-latency] [--router-cpu-prof]\` —
the router (apps/router) against MirrorMaker 2 between a fronting and a consumer cluster (issue #23); about 15 minutes on 2 cores
with the defaults (${integer.format(DEFAULTS.small)} × 100 B and ${integer.format(DEFAULTS.large)} × 1 KB, ${DEFAULTS.rounds} rounds; latency ${LATENCY_DEFAULTS.rounds} × ${LATENCY_DEFAULTS.seconds} s per contender).
Goals: router records per CPU second ÷ MirrorMaker 2's ≥ ${GOAL} (stretch ${STRETCH}), paired per round; router p99
end-to-end latency ≤ MirrorMaker 2's at half the slower one's saturation.

- Two single-broker clusters (KRaft, loopback, ports ${FRONTING_CLUSTER.basePort} and ${CONSUMER_CLUSTER.basePort}, heap ${BROKER_HEAP_MB} MiB), started and stopped by the bench,
  registered with the real management service (in the bench's process, \`@flotilla/management/testing\`'s harness on
  PGlite; no Temporal) as a medium-tier fronting cluster and a consumer cluster. Sources are created on the fronting
  cluster with \`topics.create\` (${PARTITIONS} partitions); the router's destinations are placed on the consumer cluster with \`topics.place\`;
  MirrorMaker's target (the source's name, IdentityReplicationPolicy) is created on the consumer cluster by the bench.
- Contenders: *router, copy route* (\`{ name, source, destinations: [{ topic }], deadLetterTopic }\`), *router, filter +
  projection route* (steps \`${JSON.stringify(FILTER_STEPS)}\`: half pass), both added through \`routes.add\` to one router
  process (\`apps/router/src/main.ts\`, a child, port ${ROUTER_PORT}, its default settings) and removed after each measurement; and
  *MirrorMaker 2* from the Kafka 3.9.1 jars (\`org.apache.kafka.connect.mirror.MirrorMaker\`, dedicated mode, a properties file:
  one flow, IdentityReplicationPolicy, \`tasks.max\` = partitions, heartbeats, checkpoints, offset syncs and the sync of topic
  configs, ACLs and group offsets off), a fresh JVM per measurement with a source alias of its own. MirrorMaker cannot
  filter on a value field: the filter route is paired with its plain copy of the same records.
- Throughput: per round and record size one source topic is filled (JSON values \`{"seq":n,"even":bool,"pad":"x…"}\` of exactly
  100 B or 1 KB, no key, round-robin over the partitions) and copied by each contender in turn (the order rotates), each to
  its own destination. The destination's end offsets and the copier process's CPU time (\`/proc/<pid>/stat\` utime + stime,
  all threads) are read every ${POLL_MS} ms; the window runs from the first read that sees records at the destination to the
  one that sees them all (the filter route: the even half), so neither MirrorMaker's JVM start nor the route's group
  join is in it (both are shown as *lead-in*); MirrorMaker's JIT warm-up is, and it weighs: *2nd half* gives the same
  figures over the second half of each window (from the read that saw half the records on), MirrorMaker warm, and each
  current-figures row gives the verdict on both. records/s and MiB/s count source records;
  *CPU s per million* and *records per CPU s* divide the copier's CPU seconds in the window by them. Both brokers' CPU in
  the same window is shown as context. One unmeasured pass of every contender over 20,000 records first.
- *paired*: router ÷ MirrorMaker 2 within each round, the median over rounds and a confidence interval for it (k-th
  smallest to k-th largest; 5 rounds: the whole range, 93.8%). A goal is met when the interval lies at or above it,
  missed when below, not decided when it holds it.
- Latency (after the throughput rounds, the first record size measured): the bench produces records open loop at half the slower
  one's (MirrorMaker 2, router copy route) median records/s, each with a header holding the instant it was handed to the
  producer (kafkajs, acks=all, records due in the same millisecond in one send), into a fresh source per contender and
  round while that copier runs (after priming records until its first reached the destination). The destinations have
  \`message.timestamp.type=LogAppendTime\`; latency = the destination's append time − the send instant, read back after the
  run. p50 / p99 pooled over rounds; the goal is judged on the per-round difference of p99s (router − MirrorMaker 2).
- The brokers, the copier, the bench (its producer and offset reads) and anything else share the machine's CPUs: the
  entry records the load average. \`--router-cpu-prof\` runs the router with \`--cpu-prof\` and keeps the profile.
  \`--quick\` runs are not recorded.
`;
}

function resultsEntry(machine: MachineInfo, options: Options, load: { before: number; after: number }, tables: string, notes: readonly string[]): string {
  const busy = load.before > machine.cpus / 2 || load.after > machine.cpus;
  return `
## ${SCENARIO} — ${machine.date}

- machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM; Node ${machine.node}; ${machine.java}
- software: ${machine.clients}
- records: ${options.sizes.map((s) => `${integer.format(s.records)} × ${sizeLabel(s.recordSize)}`).join(' and ')} per round, ${options.rounds} round(s); ${PARTITIONS} partitions; two single-broker clusters (heap ${BROKER_HEAP_MB} MiB)
- load average (1 min) before the run ${load.before.toFixed(2)}, at its end ${load.after.toFixed(2)}${busy ? ': other processes on the machine share its CPUs' : ''}

${tables}

${notes.map((n) => `- ${n}`).join('\n')}

Settings:

${settingsLines()
  .map((line) => `- ${line}`)
  .join('\n')}
`;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const runDir = stateDir('bench-router-run');
  await ensureKafkaJars(progress);
  await clockTicksPerSecond();
  await stopLeftovers(runDir);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const machine = await machineInfo();
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > machine.cpus / 2) progress(`load average is ${loadBefore.toFixed(2)} on ${machine.cpus} CPUs: other processes will make the figures noisy`);
  let succeeded = false;
  try {
    const measured = await measure(options, runDir);
    const { tables, notes, current } = report(options, measured);
    console.log(`${tables}\n\n${notes.map((n) => `- ${n}`).join('\n')}`);
    if (measured.profileDir) progress(`router CPU profile(s) in ${measured.profileDir}`);
    if (options.record) {
      recordResult(RESULTS_PATH, {
        scenario: SCENARIO,
        description: scenarioDescription(),
        entry: resultsEntry(machine, options, { before: loadBefore, after: loadavg()[0] ?? 0 }, tables, notes),
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
    // Topic data is removed either way; logs (and a CPU profile) are kept after a failure or when profiling.
    for (const cluster of [FRONTING_CLUSTER.name, CONSUMER_CLUSTER.name]) rmSync(join(runDir, cluster, 'broker-0', 'data'), { recursive: true, force: true });
    if (succeeded && !options.cpuProfile) rmSync(runDir, { recursive: true, force: true });
    else progress(`logs kept in ${runDir}`);
  }
}

runBenchMain(main, USAGE);
