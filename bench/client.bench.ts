// Throughput of the smart client (MultiClusterProducer / MultiClusterConsumer) against the raw
// client it wraps (kafkajs, node-rdkafka used directly) with the same settings and the same
// window of unacknowledged records, on the same single-broker cluster in the same run. Goal: the
// smart client keeps ≥ 0.95× the library's msgs/s. Flotilla's transport over that library, used
// directly, is measured too: it shows which layer a difference comes from. Then produce
// acknowledgement latency at a fixed 1,000 records/s, smart client against library; goal: the
// smart client's p99 at most the library's plus its linger. Tables to stdout, progress to
// stderr, and one entry in bench/RESULTS.md.
//
//   npm run bench -- client [--records N] [--size B] [--rounds R] [--quick] [--no-record] [--produce-only] [--no-transport]
//                           [--latency-only | --no-latency] [--latency-rounds R] [--latency-seconds S] [--kafkajs-only | --rdkafka-only]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAdmin, type KafkaAdmin, type TransportKind } from '@flotilla/kafka';
import { ensureKafkaJars, type KafkaCluster } from '@flotilla/local-kafka';
import { stateDir } from '@flotilla/local-runtime';
import { withBenchCluster } from './lib/bench-cluster';
import { ACK_LATENCY_HEADER, ACK_LATENCY_RATE, ACK_LATENCY_RECORD_BYTES, ackLatencyCells, ackLatencyRows, ackLatencyVerdict, differenceCell, runAckLatency, type AckLatencyCell, type AckLatencyPlan } from './lib/ack-latency-rounds';
import { checkTopicHolds, contenderOf, dropTopics, KINDS, kindsIn, roundOrder, slug, type Contender, type Role } from './lib/client-contenders';
import { DELIVERY_TIMEOUT_MS, LINGER_MS, RECORDS_PER_SEND, SENDS_OUTSTANDING, type ClientUnderTest, type ConsumeSample, type ProduceSample } from './lib/client-under-test';
import { kafkajsClient } from './lib/kafkajs-client';
import { machineInfo, type MachineInfo } from './lib/machine-info';
import { markdownTable } from './lib/markdown-table';
import { rdkafkaClientWithWindow } from './lib/rdkafka-client';
import { measureSmartLayerCost, type SmartLayerCost } from './lib/smart-layer-cost';
import { judgePaired, type Verdict } from './lib/paired-verdict';
import { recordResult, type CurrentFigure } from './lib/results-file';
import { median, medianInterval, spread } from './lib/round-stats';
import { sizeLabel, type Direction } from './lib/results-table';
import { smartClient } from './lib/smart-client';
import { transportClient } from './lib/transport-client';
import type { ThroughputClient } from './lib/throughput-client';
import { errorLine, parseBenchOptions, runBenchMain, UsageError, type SizeRun } from './lib/bench-options';

const SCENARIO = 'client';
const CLUSTER_NAME = 'bench-client';
/**
 * Not the baseline's 24092: the two scenarios may run side by side. Below Linux's ephemeral range
 * (32768–60999): a fixed port there may be held by an outgoing connection's source port.
 */
const BASE_PORT = 24592;
const HEAP_MB = 1024;
const PARTITIONS = 3;
const GOAL = 0.95;
/**
 * The raw clients, driven like the smart client: kafkajs with ${SENDS_OUTSTANDING} send() calls of
 * ${RECORDS_PER_SEND} records outstanding (its bench client's own defaults), node-rdkafka with
 * at most as many records produced and not yet reported.
 */
const LIBRARIES: Readonly<Record<TransportKind, ThroughputClient>> = { kafkajs: kafkajsClient, rdkafka: rdkafkaClientWithWindow(RECORDS_PER_SEND * SENDS_OUTSTANDING) };
const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
// Runs of a few seconds each: at 100,000 records a run lasted half a second and the rounds of one
// contender differed by up to 2× (bench/RESULTS.md, 2026-12-01), too much for a 0.95 goal. 100,000
// records of 1 KB still took node-rdkafka under 0.7 s, with spreads of 50-70% (2026-12-02).
const DEFAULTS = { small: 500_000, large: 300_000, rounds: 5 };
const QUICK = { small: 20_000, large: 5_000, rounds: 1 };
const WARM_UP_RECORDS = 20_000;
/**
 * 10 s at 1,000 records/s: 10,000 acknowledgements a round, so a round's p99 is its 100th
 * slowest, not a handful of outliers; 6 rounds give an interval covering 96.9%.
 */
const LATENCY_DEFAULTS = { rounds: 6, seconds: 10 };
const LATENCY_QUICK = { rounds: 1, seconds: 2 };

interface Options {
  sizes: SizeRun[];
  rounds: number;
  record: boolean;
  quick: boolean;
  /** The transports measured: both by default, one with --kafkajs-only or --rdkafka-only. */
  kinds: readonly TransportKind[];
  /** Produce and consume by default; produce alone with --produce-only. */
  directions: readonly Direction[];
  /** The transport runs beside the smart client and the library, unless --no-transport. */
  transport: boolean;
  /** Msgs/s rounds, unless --latency-only. */
  throughput: boolean;
  /** Acknowledgement latency rounds, unless --no-latency. */
  latency: AckLatencyPlan | undefined;
}

const USAGE = `usage: npm run bench -- ${SCENARIO} [--records N] [--size B] [--rounds R] [--quick] [--no-record] [--produce-only] [--no-transport]
                             [--latency-only | --no-latency] [--latency-rounds R] [--latency-seconds S] [--kafkajs-only | --rdkafka-only]
  --records N      records per record size and round (default ${DEFAULTS.small} × 100 B and ${DEFAULTS.large} × 1 KB)
  --size B         one record size only, 100 or 1024 (1k); repeatable; both by default
  --rounds R       repeat every measurement R times and report the median (default ${DEFAULTS.rounds})
  --quick          ${QUICK.small} × 100 B and ${QUICK.large} × 1 KB, one round, not recorded in bench/RESULTS.md
  --no-record      print the tables only; do not append to bench/RESULTS.md
  --produce-only   measure the producers only (no consumers): about half the time per round,
                   for runs of many rounds that narrow the producers' intervals
  --no-transport   leave the transport out (smart client and library only): a third less time
                   per round, for runs aimed at the goal, which the transport has no part in
  --latency-only   measure acknowledgement latency only (no msgs/s rounds): about 5 minutes
  --no-latency     measure msgs/s only
  --latency-rounds R, --latency-seconds S
                   latency rounds, and seconds each contender sends at ${ACK_LATENCY_RATE.toLocaleString('en-US')} records/s per round
                   (default ${LATENCY_DEFAULTS.rounds} × ${LATENCY_DEFAULTS.seconds} s; --quick ${LATENCY_QUICK.rounds} × ${LATENCY_QUICK.seconds} s)
  --kafkajs-only, --rdkafka-only
                   measure one transport (and its library) only, in a process that never loads the other's code paths`;

function parseOptions(argv: string[]): Options {
  const { flags, integers, ...common } = parseBenchOptions(
    argv,
    { defaults: DEFAULTS, quick: QUICK },
    USAGE,
    ['kafkajs-only', 'rdkafka-only', 'produce-only', 'no-transport', 'latency-only', 'no-latency'],
    ['latency-rounds', 'latency-seconds'],
  );
  if (flags['kafkajs-only'] && flags['rdkafka-only']) throw new UsageError('--kafkajs-only and --rdkafka-only exclude each other');
  if (flags['latency-only'] && flags['no-latency']) throw new UsageError('--latency-only and --no-latency exclude each other');
  const kinds = KINDS.filter((kind) => !flags[`${kind === 'kafkajs' ? 'rdkafka' : 'kafkajs'}-only`]);
  const directions: readonly Direction[] = flags['produce-only'] ? ['produce'] : ['produce', 'consume'];
  const latencyBase = common.quick ? LATENCY_QUICK : LATENCY_DEFAULTS;
  const latency = flags['no-latency']
    ? undefined
    : { rounds: integers['latency-rounds'] ?? latencyBase.rounds, records: (integers['latency-seconds'] ?? latencyBase.seconds) * ACK_LATENCY_RATE };
  return { ...common, kinds, directions, transport: !flags['no-transport'] && !flags['latency-only'], throughput: !flags['latency-only'], latency };
}

function progress(line: string): void {
  process.stderr.write(`\x1b[36m==>\x1b[0m ${line}\n`);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = (x: number, digits = 0): string => `${(x * 100).toFixed(digits)}%`;
const ordinals = new Intl.PluralRules('en-US', { type: 'ordinal' });
const ORDINAL_SUFFIX: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };
const ordinal = (n: number): string => `${n}${ORDINAL_SUFFIX[ordinals.select(n)]}`;
const millis = (seconds: number): string => `${integer.format(seconds * 1000)} ms`;
/** NaN for a client that does not measure its CPU time. */
const cpuMicrosPerRecord = (sample: ProduceSample): number => (sample.cpuSeconds * 1e6) / sample.records;
const micros = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : '-');

/** kafkajs or node-rdkafka used directly: the peer. */
function libraryClient(kind: TransportKind): ClientUnderTest {
  const library = LIBRARIES[kind];
  return {
    name: `${library.name} library`,
    producerSettings: library.producerSettings,
    consumerSettings: library.consumerSettings,
    produce: async (run) => {
      const m = await library.produce({ ...run, prime: true });
      return { records: m.records, seconds: m.seconds, cpuSeconds: m.cpuSeconds ?? Number.NaN, ...(m.primedSeconds === undefined ? {} : { primed: { seconds: m.primedSeconds } }) };
    },
    consume: async (run) => {
      const m = await library.consume(run);
      return { records: m.records, seconds: m.seconds, leadInSeconds: m.leadInSeconds ?? Number.NaN };
    },
    ...(library.ackLatency ? { ackLatency: library.ackLatency } : {}),
  };
}

interface Samples {
  produce: ProduceSample[];
  consume: ConsumeSample[];
  errors: Partial<Record<Direction, string>>;
}

/** Per record size: each contender's samples over the rounds. */
type SizeSamples = Map<Contender, Samples>;

function contenders(options: Options): Contender[] {
  return options.kinds.flatMap((kind) => [
    { kind, role: 'smart' as const, client: smartClient(kind) },
    { kind, role: 'library' as const, client: libraryClient(kind) },
    ...(options.transport ? [{ kind, role: 'transport' as const, client: transportClient(kind) }] : []),
  ]);
}

async function runSize(cluster: KafkaCluster, admin: KafkaAdmin, all: readonly Contender[], size: SizeRun, options: Options): Promise<SizeSamples> {
  const { rounds } = options;
  const label = sizeLabel(size.recordSize);
  const prefix = `client-${size.recordSize}b`;
  const bootstrap = cluster.bootstrap;
  const payload = randomBytes(size.recordSize);
  const records = size.records;
  const samples: SizeSamples = new Map(all.map((c) => [c, { produce: [], consume: [], errors: {} }]));

  const attempt = async <T>(c: Contender, direction: Direction, round: number, run: () => Promise<T>, describe: (sample: T) => string): Promise<T | undefined> => {
    const s = samples.get(c)!;
    if (s.errors[direction] !== undefined) return undefined;
    const what = `${label} ${direction} ${c.client.name} (round ${round + 1}/${rounds}, ${records.toLocaleString('en-US')} records)`;
    progress(what);
    try {
      const sample = await run();
      progress(`${what}: ${describe(sample)}`);
      return sample;
    } catch (error) {
      s.errors[direction] = errorLine(error);
      progress(`${what} FAILED: ${s.errors[direction]}`);
      return undefined;
    }
  };

  for (let round = 0; round < rounds; round++) {
    const order = roundOrder(all, round);
    /** The topic each producer wrote this round, and how many records it holds. */
    const written = new Map<Contender, { topic: string; holds: number }>();
    for (const c of order) {
      const topic = `${prefix}-${slug(c)}-r${round}`;
      const sample = await attempt(
        c,
        'produce',
        round,
        async () => {
          await admin.ensureTopic({ topic, partitions: PARTITIONS, replicationFactor: 1 });
          const result = await c.client.produce({ bootstrap, topic, records, payload, partitions: PARTITIONS });
          await checkTopicHolds(admin, topic, records + (result.primed ? 1 : 0), c.client.name);
          return result;
        },
        (r) => `${integer.format(r.records / r.seconds)} msgs/s, ${micros(cpuMicrosPerRecord(r))} µs CPU per record${r.primed ? ` (first record, before the clock: ${millis(r.primed.seconds)})` : ''}`,
      );
      if (sample) {
        samples.get(c)!.produce.push(sample);
        written.set(c, { topic, holds: records + (sample.primed ? 1 : 0) });
      }
    }
    // Every consumer of a round reads the same topic, so all of them fetch the same record
    // batches: the one the rdkafka transport wrote, or failing that any complete one.
    const preferred = ['rdkafka-transport', 'kafkajs-transport', 'rdkafka-smart', 'kafkajs-smart'];
    const source = [...written].sort(([a], [b]) => rank(preferred, slug(a)) - rank(preferred, slug(b)))[0]?.[1];
    for (const c of options.directions.includes('consume') ? order : []) {
      const sample = await attempt(
        c,
        'consume',
        round,
        async () => {
          if (source === undefined) throw new Error(`no producer wrote ${records} records in round ${round + 1}: nothing to read`);
          return c.client.consume({ bootstrap, topic: source.topic, records: source.holds, groupId: `${prefix}-${slug(c)}-r${round}` });
        },
        (r) => `${integer.format(r.records / r.seconds)} msgs/s (first record ${millis(r.leadInSeconds)} after partition assignment)`,
      );
      if (sample) samples.get(c)!.consume.push(sample);
    }
    await dropTopics(admin, [...written.values()].map((w) => w.topic), progress);
  }
  return samples;
}

function rank(order: readonly string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}

/**
 * A fresh broker's JIT is cold, and so is this process's: whoever ran first would pay for both.
 * Every contender moves a short unmeasured load first.
 */
async function warmUp(cluster: KafkaCluster, admin: KafkaAdmin, all: readonly Contender[], directions: readonly Direction[]): Promise<void> {
  progress('warming up the broker and the clients (unmeasured)');
  const payload = randomBytes(512);
  for (const c of all) {
    const topic = `client-warmup-${slug(c)}`;
    await admin.ensureTopic({ topic, partitions: PARTITIONS, replicationFactor: 1 });
    const produced = await c.client.produce({ bootstrap: cluster.bootstrap, topic, records: WARM_UP_RECORDS, payload, partitions: PARTITIONS });
    const holds = WARM_UP_RECORDS + (produced.primed ? 1 : 0);
    if (directions.includes('consume')) await c.client.consume({ bootstrap: cluster.bootstrap, topic, records: holds, groupId: `client-warmup-${slug(c)}` });
  }
}

interface Summary {
  rps: number;
  spread: number;
  leadIn?: number;
}

function summarise(values: readonly { records: number; seconds: number }[], leadIns: readonly number[] = []): Summary | undefined {
  if (values.length === 0) return undefined;
  const rps = values.map((v) => v.records / v.seconds);
  const known = leadIns.filter((s) => !Number.isNaN(s));
  return { rps: median(rps), spread: spread(rps), ...(known.length > 0 ? { leadIn: median(known) } : {}) };
}

/** Smart ÷ `peer` msgs/s per round (measured in the same round), when both have every round. */
function pairedRatios(samples: SizeSamples, all: readonly Contender[], kind: TransportKind, direction: Direction, peer: Role): number[] {
  const of = (role: Role): Samples | undefined => {
    const c = contenderOf(all, kind, role);
    return c ? samples.get(c) : undefined;
  };
  const smart = of('smart');
  const other = of(peer);
  if (!smart || !other || smart.errors[direction] !== undefined || other.errors[direction] !== undefined) return [];
  const a = smart[direction];
  const b = other[direction];
  if (a.length === 0 || a.length !== b.length) return [];
  return a.map((x, i) => x.records / x.seconds / (b[i]!.records / b[i]!.seconds));
}

/** What one process measured, ready to print and record; the parent of per-transport processes merges them. */
interface EntryPart {
  machine: MachineInfo;
  load: { before: number; after: number };
  throughputRows: string[][];
  latencyRows: string[][];
  notes: string[];
  settings: string[];
  failures: string[];
  /** Rows of RESULTS.md's table of current figures. */
  current: CurrentFigure[];
}

interface Tables {
  rows: string[][];
  notes: string[];
  failures: string[];
  current: CurrentFigure[];
}

/** The paired median and its confidence interval (`medianInterval`). */
function pairedCell(pairs: readonly number[]): string {
  if (pairs.length === 0) return '-';
  const { low, high } = medianInterval(pairs);
  return `${median(pairs).toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`;
}

const VERDICT_WORDS: Record<Verdict, string> = { met: 'met', missed: 'missed', 'not decided': 'not decided', 'not judged': 'not judged (too few rounds)' };

/** The goal is judged on the paired ratio's interval (judgePaired), not on its median alone. */
function verdict(row: string, pairs: readonly number[]): string {
  const j = judgePaired(pairs, { atLeast: GOAL });
  const figures = `paired median ${j.median.toFixed(3)}, interval ${j.low.toFixed(2)}–${j.high.toFixed(2)}`;
  switch (j.verdict) {
    case 'met':
      return `meets the ${GOAL} goal: ${row} (${figures})`;
    case 'missed':
      return `below the ${GOAL} goal: ${row} (${figures})`;
    case 'not decided':
      return `not decided against the ${GOAL} goal, which lies within the interval: ${row} (${figures}); more rounds narrow it`;
    case 'not judged':
      return `not judged against the ${GOAL} goal: ${row} (${figures}); ${pairs.length} round(s) are too few for an interval (it covers ${percent(j.coverage, 1)})`;
  }
}

function tables(all: readonly Contender[], bySize: ReadonlyMap<SizeRun, SizeSamples>, directions: readonly Direction[]): Tables {
  const rows: string[][] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const current: CurrentFigure[] = [];
  for (const kind of kindsIn(all)) {
    for (const [size, samples] of bySize) {
      for (const direction of directions) {
        const of = (role: Role): { summary: Summary | undefined; name: string } | undefined => {
          const c = contenderOf(all, kind, role);
          if (!c) return undefined;
          const s = samples.get(c)!;
          const summary = direction === 'produce' ? summarise(s.produce) : summarise(s.consume, s.consume.map((x) => x.leadInSeconds));
          const error = s.errors[direction];
          if (error !== undefined) failures.push(`${sizeLabel(size.recordSize)} ${direction} ${c.client.name}: ${error}`);
          return { summary: error === undefined ? summary : undefined, name: c.client.name };
        };
        const smart = of('smart');
        const library = of('library');
        const transport = of('transport');
        const toLibrary = pairedRatios(samples, all, kind, direction, 'library');
        const toTransport = pairedRatios(samples, all, kind, direction, 'transport');
        // The goal is judged on the paired ratio: the smart client and the library run back to
        // back within a round, so load that drifts over the run (other processes, the broker's
        // own GC) weighs on both sides of each pair instead of on whichever round it hit. Its
        // interval, not the median alone, decides (see verdict).
        const rate = (c: { summary: Summary | undefined } | undefined): string => (c === undefined ? '-' : c.summary ? integer.format(c.summary.rps) : 'failed');
        const cpuOf = (role: Role): string => {
          const c = contenderOf(all, kind, role);
          const s = c ? samples.get(c) : undefined;
          const measured = s && direction === 'produce' && s.errors.produce === undefined ? s.produce.map(cpuMicrosPerRecord).filter(Number.isFinite) : [];
          return measured.length === 0 ? '-' : micros(median(measured));
        };
        const spreadOf = (s: Summary | undefined): string => (s ? percent(s.spread) : '-');
        rows.push([
          kind,
          sizeLabel(size.recordSize),
          direction,
          rate(smart),
          rate(library),
          pairedCell(toLibrary),
          rate(transport),
          pairedCell(toTransport),
          `${spreadOf(smart?.summary)} / ${spreadOf(library?.summary)} / ${spreadOf(transport?.summary)}`,
          direction === 'produce' ? `${cpuOf('smart')} / ${cpuOf('library')} / ${cpuOf('transport')}` : '',
          smart?.summary?.leadIn !== undefined && library?.summary?.leadIn !== undefined ? `${millis(smart.summary.leadIn)} / ${millis(library.summary.leadIn)}` : '',
        ]);
        const row = `${kind} ${sizeLabel(size.recordSize)} ${direction}`;
        if (toLibrary.length > 0) {
          notes.push(verdict(row, toLibrary));
          current.push({
            what: `${row}: smart ÷ ${LIBRARIES[kind].name} msgs/s, paired`,
            figure: `${pairedCell(toLibrary)}; ${rate(smart)} against ${rate(library)} msgs/s`,
            goal: `≥ ${GOAL}`,
            verdict: VERDICT_WORDS[judgePaired(toLibrary, { atLeast: GOAL }).verdict],
          });
        }
      }
    }
  }
  return { rows, notes, failures, current };
}

const THROUGHPUT_HEADER = [
  'client',
  'record',
  'direction',
  'smart msgs/s',
  'library msgs/s',
  'smart ÷ library: paired median (interval)',
  'transport msgs/s',
  'smart ÷ transport: paired median (interval)',
  'spread (smart / library / transport)',
  'CPU µs per record (smart / library / transport)',
  'lead-in (smart / library)',
];

function throughputTable(rows: readonly string[][]): string {
  return markdownTable(THROUGHPUT_HEADER, rows, [3, 4, 5, 6, 7, 8, 9, 10]);
}

function latencyTable(rows: readonly string[][]): string {
  return markdownTable(ACK_LATENCY_HEADER, rows, [3, 4, 5, 6, 7]);
}

/** The latency cells' notes and rows of current figures. */
function latencyTables(cells: readonly AckLatencyCell[]): Omit<Tables, 'failures'> {
  return {
    rows: ackLatencyRows(cells),
    notes: cells.map(ackLatencyVerdict),
    current: cells.map((c) => ({
      what: `${c.kind} produce acknowledgement latency, ${ACK_LATENCY_RECORD_BYTES} B at ${ACK_LATENCY_RATE.toLocaleString('en-US')} records/s: p50 / p99, smart against ${c.library.name}`,
      figure: `${c.smart.p50.toFixed(2)} / ${c.smart.p99.toFixed(2)} ms against ${c.library.p50.toFixed(2)} / ${c.library.p99.toFixed(2)} ms; p99 difference ${differenceCell(c.judgement)}`,
      goal: `smart p99 ≤ library p99 + ${c.lingerMs} ms (its linger)`,
      verdict: c.judgement ? VERDICT_WORDS[c.judgement.verdict] : 'not judged',
    })),
  };
}

function legend(rounds: number): string {
  const { k, coverage } = medianInterval(Array.from({ length: rounds }, (_, i) => i));
  const interval =
    k > 1
      ? `the ${ordinal(k)} smallest to the ${ordinal(k)} largest of the ${rounds} paired ratios, a confidence interval for their median that assumes no distribution, covering ${percent(coverage, 1)}`
      : `the whole range of the ${rounds} paired ratio(s): too few rounds for a 95% interval (it covers ${percent(coverage, 1)})`;
  return (
    'library = kafkajs or node-rdkafka used directly, the peer; transport = Flotilla\'s transport over that library used directly (where a difference comes from); ' +
    `paired ratio = smart ÷ the other within each round, median over the rounds; interval = ${interval}; goal ≥ ${GOAL} on smart ÷ library, met when the interval lies at or above it; ` +
    'CPU per record = CPU time of the bench process (all its threads: the client library\'s own and the garbage collector; not the broker) while producing, ÷ records, median over the rounds'
  );
}


function scenarioDescription(): string {
  return `### ${SCENARIO}

\`npm run bench -- ${SCENARIO} [--records N] [--size B] [--rounds R] [--quick] [--no-record] [--produce-only] [--no-transport] [--latency-only | --no-latency] [--latency-rounds R] [--latency-seconds S] [--kafkajs-only | --rdkafka-only]\` —
the smart client against the raw client it wraps; about 15 minutes on 2 cores with the defaults
(${DEFAULTS.small.toLocaleString('en-US')} × 100 B and ${DEFAULTS.large.toLocaleString('en-US')} × 1 KB, ${DEFAULTS.rounds} rounds; latency ${LATENCY_DEFAULTS.rounds} × ${LATENCY_DEFAULTS.seconds} s). Goals: smart ÷ library msgs/s, paired, ≥ ${GOAL};
smart p99 acknowledgement latency ≤ the library's + the smart client's linger.

- Each transport is measured in a process of its own (its smart client, its library, the transport),
  one after the other; the run records one entry with both.
- One single-broker Kafka cluster (KRaft, loopback, port ${BASE_PORT}, started and stopped by the bench),
  warmed up with an unmeasured load through every contender first.
- *smart*: \`MultiClusterProducer\` / \`MultiClusterConsumer\` from @flotilla/client with a static
  mapping that sends every topic to that one cluster. *library*: kafkajs or node-rdkafka used
  directly, the peer. *transport*: Flotilla's transport over that library
  (\`transportFor('kafkajs' | 'rdkafka')\` from @flotilla/kafka) used directly, doing by hand what the
  smart client does: it tells whether a difference comes from the smart layer or the transport.
  *paired ratio* = smart ÷ the other's msgs/s within each round (smart and library run back to
  back, in alternating order), its median over the rounds and a confidence interval for that
  median (from the k-th smallest to the k-th largest ratio; no distribution assumed; with 15
  rounds the 4th to the 12th, 96.5%). The goal is judged on the paired ratio against the
  library, so load that drifts during the run weighs on both sides of a pair: met when the
  interval lies at or above it, missed when it lies below, not decided when it holds the goal.
- Records of 100 B and 1 KB: random bytes, no key, no compression; acks=-1 with idempotence for
  every producer; linger as the library has it: ${LINGER_MS.rdkafka} ms for node-rdkafka (linger.ms) and the smart client
  over it (lingerMs), ${LINGER_MS.kafkajs} for kafkajs (it has no linger) and the smart client over it; the transport does not
  linger (the smart client's batcher does; the rdkafka transport gives librdkafka 2 ms to take in a
  request handed over whole). Every topic has ${PARTITIONS} partitions; each producer writes a fresh topic per record size and round, deleted once the round's consumers read it.
- *produce*: the same window for every producer: ${RECORDS_PER_SEND}-record \`send()\` calls, ${SENDS_OUTSTANDING} outstanding at a
  time (node-rdkafka, which has no batched send: at most ${(RECORDS_PER_SEND * SENDS_OUTSTANDING).toLocaleString('en-US')} records produced and not yet
  reported), timed from the first send to the last acknowledgement. Before the clock starts, the
  smart client and the transport send one record to the topic and wait for it, which connects
  them and has the smart producer look up the topic's partition count (once per topic; printed,
  not counted); the libraries connect first and look the topic up on their first send, inside
  the clock. Afterwards the topic's end offsets must equal the record count (+ 1). Partitions:
  the smart producer's sticky partitioner (one partition per batch), kafkajs's DefaultPartitioner,
  librdkafka's sticky partitioner, and for the transport one explicit partition per call,
  round-robin.
- kafkajs 2.2.4 runs with Flotilla's fix to its per-partition grouping of a send's messages
  (quadratic upstream; patches/kafkajs+2.2.4.patch, applied by patch-package), for the library and the smart
  client alike.
- *consume*: every consumer of a round reads the same topic (the one the rdkafka transport wrote)
  from the beginning with a fresh group. The smart client and the transport commit after each
  batch (awaited); the libraries use their auto-commit (kafkajs: after each batch; node-rdkafka:
  in the background). Timed like the baseline, from partition assignment to the last record;
  *lead-in* is the median part of that before the first record arrived. \`--produce-only\` leaves
  the consumers out (its entries say so), which halves a round: for runs of many rounds, whose
  narrower intervals can decide a producer's cell that 15 rounds leave open. \`--no-transport\`
  leaves the transport out (its entries show - there), a third less per round; \`--size\` keeps
  one record size.
- Each measurement is repeated per round; the table shows medians, and *spread* is (max − min) /
  median of the rounds' msgs/s. The broker, the clients and anything else on the machine share
  its CPUs: the entry records the load average. \`--quick\` runs are not recorded.
- *CPU per record* (produce): the CPU time of the bench
  process, all its threads (the client library's own, such as librdkafka's, and V8's garbage
  collector), over the timed part of a run, divided by its records; the broker's is not in it.
  It moves less than msgs/s from round to round, though with it (a slow round costs more CPU
  per record too: the broker and the client share the cores and their caches), and it shows
  what the smart layer costs where the rates of a pair sit within their noise of each other.
  Garbage the contender before left behind may be collected within a run; the order rotates
  every round and the median is taken.
- *acknowledgement latency* (after the msgs/s rounds; alone with \`--latency-only\`, left out with
  \`--no-latency\`): the smart client and its library, each with the producer settings above,
  send ${ACK_LATENCY_RECORD_BYTES} B records one per send call (node-rdkafka: one \`produce()\` each) at a fixed
  ${ACK_LATENCY_RATE.toLocaleString('en-US')} records/s, open loop: record i is due i ms after the start and is sent when due
  whatever earlier acknowledgements are doing (records due within the same timer tick go
  together), so a slow acknowledgement never delays the next send. Latency = the instant the
  send call's promise settled (node-rdkafka: its delivery report was served) − the instant just
  before the call. Each contender sends for ${LATENCY_DEFAULTS.seconds} s per round (\`--latency-seconds\`), ${LATENCY_DEFAULTS.rounds} rounds by default
  (\`--latency-rounds\`), to a fresh topic after one priming record, with one unmeasured paced run of
  each first; the pair alternates which goes first. p50 and p99 are over every record of every
  round. Goal: the smart client's p99 at most the library's + the smart client's linger
  (${LINGER_MS.rdkafka} ms over node-rdkafka, ${LINGER_MS.kafkajs} over kafkajs), judged like the msgs/s goal on the per-round
  difference of p99s (smart − library): met when its interval lies at or below the linger.
  *latest send behind schedule* is the largest delay of a send call after its due instant: small
  means the pacing held.
`;
}

/** The smart layer's own cost per record, next to the rdkafka transport's wall time per record. */
function costLine(kind: TransportKind, cost: SmartLayerCost, all: readonly Contender[], bySize: ReadonlyMap<SizeRun, SizeSamples>): string {
  const transport = contenderOf(all, 'rdkafka', 'transport');
  const small = [...bySize].find(([size]) => size.recordSize === 100)?.[1];
  const rps = transport && small ? summarise(small.get(transport)!.produce)?.rps : undefined;
  const scale = rps === undefined ? '' : `; for scale, the rdkafka transport's 100 B produce above takes ${(1e6 / rps).toFixed(2)} µs per record (${((100 * cost.microsPerRecord * rps) / 1e6).toFixed(1)}%)`;
  return (
    `smart producer alone, in the ${kind} process (the same send() calls of 100 B records over an in-memory transport that acknowledges on the next event-loop turn, no Kafka): ` +
    `${cost.microsPerRecord.toFixed(3)} µs per record, median of ${cost.rounds} rounds of ${cost.records.toLocaleString('en-US')}, caller's message objects included${scale}`
  );
}

function settingsLines(options: Options, all: readonly Contender[]): string[] {
  const consumers = options.throughput && options.directions.includes('consume');
  return all.flatMap((c) => [`- ${c.client.name} producer: ${c.client.producerSettings}`, ...(consumers ? [`- ${c.client.name} consumer: ${c.client.consumerSettings}`] : [])]);
}

function legendLines(options: Options, part: EntryPart): string[] {
  const lines = part.throughputRows.length > 0 ? [legend(options.rounds)] : [];
  if (part.latencyRows.length > 0) {
    lines.push(
      `latency: p50 / p99 over every acknowledged record of every round; paired difference = smart p99 − library p99 within each round, median over the rounds, interval as for msgs/s (${medianIntervalLabel(options.latency?.rounds ?? 0)}); goal met when the interval lies at or below the smart client's linger`,
    );
  }
  return lines;
}

function medianIntervalLabel(rounds: number): string {
  const { k, coverage } = medianInterval(Array.from({ length: rounds }, (_, i) => i));
  return k > 1 ? `the ${ordinal(k)} smallest to the ${ordinal(k)} largest of ${rounds}, covering ${percent(coverage, 1)}` : `the whole range of ${rounds}, covering ${percent(coverage, 1)}`;
}

function tablesText(part: EntryPart): string {
  return [
    ...(part.throughputRows.length > 0 ? [throughputTable(part.throughputRows)] : []),
    ...(part.latencyRows.length > 0 ? [latencyTable(part.latencyRows)] : []),
  ].join('\n\n');
}

function resultsEntry(options: Options, part: EntryPart): string {
  const { machine, load } = part;
  const counts = options.sizes.map((s) => `${s.records.toLocaleString('en-US')} × ${sizeLabel(s.recordSize)}`).join(' and ');
  const consumers = options.directions.includes('consume');
  const measured = [
    ...(options.throughput
      ? [`- msgs/s: ${counts} per round, ${options.rounds} round(s)${consumers ? '' : ', producers only (--produce-only)'}${options.transport ? '' : ', without the transport (--no-transport)'}; ${PARTITIONS} partitions per topic; delivery timeout ${DELIVERY_TIMEOUT_MS} ms`]
      : ['- msgs/s: not measured (--latency-only)']),
    ...(options.latency
      ? [`- acknowledgement latency: ${options.latency.rounds} round(s) of ${options.latency.records.toLocaleString('en-US')} × ${ACK_LATENCY_RECORD_BYTES} B records per contender at ${ACK_LATENCY_RATE.toLocaleString('en-US')} records/s (${options.latency.records / ACK_LATENCY_RATE} s), one per send call`]
      : ['- acknowledgement latency: not measured (--no-latency)']),
  ];
  return `
## ${SCENARIO} — ${machine.date}

- machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM; Node ${machine.node}
- software: ${machine.clients}
${measured.join('\n')}
- one broker (heap ${HEAP_MB} MiB) per transport's process; transports measured: ${options.kinds.join(', ')}
- load average (1 min) before the run ${load.before.toFixed(2)}, at its end ${load.after.toFixed(2)}${load.before > machine.cpus / 2 || load.after > machine.cpus ? ': other processes on the machine share its CPUs' : ''}

${tablesText(part)}

${[...legendLines(options, part), ...part.notes].map((n) => `- ${n}`).join('\n')}

Settings:

${part.settings.join('\n')}
`;
}

/** The parts of per-transport processes as one: the first's machine and start load, the last's end load. */
function mergeParts(parts: readonly EntryPart[]): EntryPart {
  const first = parts[0]!;
  return {
    machine: first.machine,
    load: { before: first.load.before, after: parts[parts.length - 1]!.load.after },
    throughputRows: parts.flatMap((p) => p.throughputRows),
    latencyRows: parts.flatMap((p) => p.latencyRows),
    notes: parts.flatMap((p) => p.notes),
    settings: parts.flatMap((p) => p.settings),
    failures: parts.flatMap((p) => p.failures),
    current: parts.flatMap((p) => p.current),
  };
}

/**
 * Each transport in a process of its own, one after the other: an application loads one, and in
 * a shared process the smart client's code paths (and the transports') see both transports'
 * objects, which measurably slows them (the smart producer alone measured 0.50 µs per record
 * at the end of a two-transport run, 0.22 µs in a one-transport run: bench/RESULTS.md). Each
 * writes what it measured to a file (--part); undefined when one failed.
 */
function runEachKindApart(argv: readonly string[], kinds: readonly TransportKind[]): EntryPart[] | undefined {
  const tsx = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', 'tsx');
  const dir = mkdtempSync(join(tmpdir(), 'bench-client-'));
  try {
    const parts: EntryPart[] = [];
    for (const kind of kinds) {
      progress(`${kind}: a process of its own`);
      const file = join(dir, `${kind}.json`);
      const child = spawnSync(tsx, [fileURLToPath(import.meta.url), ...argv, `--${kind}-only`, PART_FLAG, file], { stdio: 'inherit' });
      if (child.status !== 0) return undefined;
      parts.push(JSON.parse(readFileSync(file, 'utf8')) as EntryPart);
    }
    return parts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Internal: a child of runEachKindApart writes its EntryPart as JSON to the file that follows. */
const PART_FLAG = '--part';

function takePartFlag(argv: readonly string[]): { argv: string[]; part: string | undefined } {
  const at = argv.indexOf(PART_FLAG);
  if (at < 0) return { argv: [...argv], part: undefined };
  const part = argv[at + 1];
  if (part === undefined) throw new UsageError(`${PART_FLAG} needs a file`);
  return { argv: [...argv.slice(0, at), ...argv.slice(at + 2)], part };
}

/** Measures in this process: one transport, or several in one process when asked to by --kafkajs-only etc. */
async function measure(options: Options): Promise<EntryPart> {
  const runDir = stateDir('bench-client-run');
  const workDir = join(runDir, CLUSTER_NAME);
  await ensureKafkaJars(progress);
  const machine = await machineInfo();
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > machine.cpus / 2) progress(`load average is ${loadBefore.toFixed(2)} on ${machine.cpus} CPUs: other processes will make the figures noisy`);
  const all = contenders(options);
  const bySize = new Map<SizeRun, SizeSamples>();
  let latency: ReturnType<typeof ackLatencyCells> = { cells: [], failures: [] };
  let loadAfter = 0;

  await withBenchCluster({ name: CLUSTER_NAME, basePort: BASE_PORT, runDir, heapMb: HEAP_MB, progress }, async (cluster) => {
    const admin = await connectAdmin({ bootstrap: cluster.bootstrap, requestTimeoutMs: 30_000 });
    try {
      await warmUp(cluster, admin, all, options.throughput ? options.directions : ['produce']);
      if (options.throughput) for (const size of options.sizes) bySize.set(size, await runSize(cluster, admin, all, size, options));
      if (options.latency) latency = ackLatencyCells(all, await runAckLatency({ bootstrap: cluster.bootstrap, admin, progress }, all, options.latency));
    } finally {
      await admin.close();
    }
    loadAfter = loadavg()[0] ?? 0;
  });

  const t: Tables = options.throughput ? tables(all, bySize, options.directions) : { rows: [], notes: [], failures: [], current: [] };
  if (options.throughput) {
    progress('measuring the smart producer alone, over an instantly acknowledging in-memory transport');
    const cost = await measureSmartLayerCost(randomBytes(100));
    t.notes.push(...options.kinds.map((kind) => costLine(kind, cost, all, bySize)));
  }
  const l = latencyTables(latency.cells);
  const failures = [...t.failures, ...latency.failures];
  if (failures.length > 0) progress(`broker logs: ${workDir}`);
  // The warm-up topics and the broker's logs are only worth keeping after a failure.
  else rmSync(workDir, { recursive: true, force: true });
  return {
    machine,
    load: { before: loadBefore, after: loadAfter },
    throughputRows: t.rows,
    latencyRows: l.rows,
    notes: [...t.notes, ...l.notes],
    settings: settingsLines(options, all),
    failures,
    current: [...t.current, ...l.current],
  };
}

/** Prints the tables, and records one entry unless a measurement failed or recording is off. */
function publish(options: Options, part: EntryPart): number {
  console.log(tablesText(part));
  console.log(`\n${[...legendLines(options, part), ...part.notes].map((n) => `- ${n}`).join('\n')}`);
  if (part.failures.length > 0) {
    for (const failure of part.failures) progress(`FAILED ${failure}`);
    progress(`${part.failures.length} measurement(s) failed; not recorded`);
    return 1;
  }
  if (!options.record) {
    progress(options.quick ? '--quick: not recorded' : '--no-record: not recorded');
    return 0;
  }
  recordResult(RESULTS_PATH, { scenario: SCENARIO, description: scenarioDescription(), entry: resultsEntry(options, part), date: part.machine.date, current: part.current });
  progress(`recorded in ${RESULTS_PATH}`);
  return 0;
}

async function main(): Promise<number> {
  const { argv, part } = takePartFlag(process.argv.slice(2));
  const options = parseOptions(argv);
  if (options.kinds.length > 1) {
    const parts = runEachKindApart(argv, options.kinds);
    return parts === undefined ? 1 : publish(options, mergeParts(parts));
  }
  const measured = await measure(options);
  if (part === undefined) return publish(options, measured);
  writeFileSync(part, JSON.stringify(measured));
  for (const failure of measured.failures) progress(`FAILED ${failure}`);
  return measured.failures.length > 0 ? 1 : 0;
}

runBenchMain(main, USAGE);
