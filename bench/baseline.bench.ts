// Baseline throughput of the raw Kafka clients Flotilla can build on, against Kafka's own Java
// load generators on the same single-broker cluster in the same run. Table to stdout, progress
// to stderr, and an entry appended to bench/RESULTS.md.
//
//   npm run bench -- baseline [--records N] [--size B] [--rounds R] [--quick] [--no-record]
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAdmin, type KafkaAdmin } from '@flotilla/kafka';
import { ensureKafkaJars, type KafkaCluster } from '@flotilla/local-kafka';
import { stateDir } from '@flotilla/local-runtime';
import { consumerPerformance, JAVA_PRODUCER_PROPS, producerPerformance, type ToolResult } from './lib/kafka-perf-tools';
import { kafkajsClient } from './lib/kafkajs-client';
import { machineInfo, type MachineInfo } from './lib/machine-info';
import { platformaticClient } from './lib/platformatic-client';
import { rdkafkaClient } from './lib/rdkafka-client';
import { formatTable, sizeLabel, type Direction, type FailedRow, type ResultRow } from './lib/results-table';
import { mibPerSecond, recordsPerSecond, type Measurement, type ThroughputClient } from './lib/throughput-client';
import { errorLine, parseBenchOptions, runBenchMain, type SizeRun } from './lib/bench-options';
import { withBenchCluster } from './lib/bench-cluster';
import { recordResult, type CurrentFigure } from './lib/results-file';

const CLUSTER_NAME = 'bench-baseline';
const BASE_PORT = 24092;
const HEAP_MB = 1024;
/** Same for every client and tool: keyless records spread over several partition batches per request. */
const PARTITIONS = 3;
const CLIENTS: readonly ThroughputClient[] = [kafkajsClient, rdkafkaClient, platformaticClient];
const JAVA_PRODUCER = 'Kafka ProducerPerformance (Java)';
const JAVA_CONSUMER = 'Kafka ConsumerPerformance (Java)';
const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
const DEFAULTS = { small: 500_000, large: 125_000, rounds: 3 };
const QUICK = { small: 20_000, large: 5_000, rounds: 1 };

interface Options {
  sizes: SizeRun[];
  rounds: number;
  record: boolean;
  quick: boolean;
}

const USAGE = `usage: npm run bench -- baseline [--records N] [--size B] [--rounds R] [--quick] [--no-record]
  --records N   records per record size and round (default ${DEFAULTS.small} × 100 B and ${DEFAULTS.large} × 1 KB)
  --size B      one record size only, 100 or 1024 (1k); repeatable; both by default
  --rounds R    repeat every measurement R times and report the median (default ${DEFAULTS.rounds})
  --quick       ${QUICK.small} × 100 B and ${QUICK.large} × 1 KB, one round, not recorded in bench/RESULTS.md
  --no-record   print the table only; do not append to bench/RESULTS.md`;

function parseOptions(argv: string[]): Options {
  const { flags: _flags, ...common } = parseBenchOptions(argv, { defaults: DEFAULTS, quick: QUICK }, USAGE);
  return common;
}

function progress(line: string): void {
  process.stderr.write(`\x1b[36m==>\x1b[0m ${line}\n`);
}

const rate = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** One round's result; Node consumers also say how long they waited for the first record. */
type Sample = ToolResult & { leadInSeconds?: number };

function describe(m: Sample): string {
  const leadIn = m.leadInSeconds === undefined ? '' : ` (first record ${Math.round(m.leadInSeconds * 1000)} ms after partition assignment)`;
  return `${rate.format(m.recordsPerSecond)} msgs/s, ${m.mibPerSecond.toFixed(2)} MiB/s${leadIn}`;
}

function fromMeasurement(m: Measurement): Sample {
  const sample: Sample = { records: m.records, recordsPerSecond: recordsPerSecond(m), mibPerSecond: mibPerSecond(m) };
  if (m.leadInSeconds !== undefined) sample.leadInSeconds = m.leadInSeconds;
  return sample;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/** Rotates by `by`: each round starts with another contender, so none always runs first or last. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The broker must hold exactly what the producer was told it acknowledged: no loss, no duplicates. */
async function checkTopicHolds(admin: KafkaAdmin, topic: string, records: number, who: string): Promise<void> {
  let total = 0n;
  for (const offset of (await admin.endOffsets(topic)).values()) total += offset;
  if (total !== BigInt(records)) throw new Error(`${who} reported ${records} records acknowledged but topic ${topic} holds ${total}`);
}

/** One thing measured once per round: a client or a Java tool in one direction. */
interface Contender {
  name: string;
  direction: Direction;
  run(round: number): Promise<Sample>;
}

interface Samples {
  results: Sample[];
  error?: string;
}

interface Outcome {
  rows: ResultRow[];
  failed: FailedRow[];
  notes: string[];
}

async function runSize(cluster: KafkaCluster, admin: KafkaAdmin, size: SizeRun, rounds: number, workDir: string, out: Outcome): Promise<void> {
  const label = sizeLabel(size.recordSize);
  const prefix = `baseline-${size.recordSize}b`;
  const bootstrap = cluster.bootstrap;
  const payload = randomBytes(size.recordSize);
  const records = size.records;
  const newTopic = async (name: string): Promise<string> => {
    await admin.ensureTopic({ topic: name, partitions: PARTITIONS, replicationFactor: 1 });
    return name;
  };
  // Every consumer of a round reads what ProducerPerformance wrote in that round, so all of them
  // fetch the same record batches; should it have failed, another producer's complete topic.
  const javaTopic = (round: number): string => `${prefix}-java-r${round}`;
  const written = new Set<string>();
  const produced = async (topic: string, who: string): Promise<void> => {
    await checkTopicHolds(admin, topic, records, who);
    written.add(topic);
  };
  const sourceTopic = (round: number): string => {
    const topic = written.has(javaTopic(round)) ? javaTopic(round) : [...written].find((t) => t.endsWith(`-r${round}`));
    if (topic === undefined) throw new Error(`no producer wrote ${records} records in round ${round + 1}: nothing to read`);
    return topic;
  };

  const producers: Contender[] = [
    {
      name: JAVA_PRODUCER,
      direction: 'produce',
      run: async (round) => {
        const topic = await newTopic(javaTopic(round));
        const result = await producerPerformance({ bootstrap, topic, records, recordSize: size.recordSize, workDir });
        await produced(topic, JAVA_PRODUCER);
        return result;
      },
    },
    ...CLIENTS.map(
      (client): Contender => ({
        name: client.name,
        direction: 'produce',
        run: async (round) => {
          const topic = await newTopic(`${prefix}-${slug(client.name)}-r${round}`);
          const result = fromMeasurement(await client.produce({ bootstrap, topic, records, payload }));
          await produced(topic, client.name);
          return result;
        },
      }),
    ),
  ];
  const consumers: Contender[] = [
    {
      name: JAVA_CONSUMER,
      direction: 'consume',
      run: async (round) => {
        const result = await consumerPerformance({ bootstrap, topic: sourceTopic(round), records, groupId: `${prefix}-java-r${round}`, workDir });
        if (result.records !== records) throw new Error(`read ${result.records} of ${records} records`);
        return result;
      },
    },
    ...CLIENTS.map(
      (client): Contender => ({
        name: client.name,
        direction: 'consume',
        run: async (round) =>
          fromMeasurement(await client.consume({ bootstrap, topic: sourceTopic(round), records, groupId: `${prefix}-${slug(client.name)}-r${round}` })),
      }),
    ),
  ];

  const samples = new Map<Contender, Samples>([...producers, ...consumers].map((c) => [c, { results: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const contender of [...rotate(producers, round), ...rotate(consumers, round)]) {
      const sample = samples.get(contender);
      if (!sample || sample.error !== undefined) continue;
      const what = `${label} ${contender.direction} ${contender.name} (round ${round + 1}/${rounds}, ${records.toLocaleString('en-US')} records)`;
      progress(what);
      try {
        const result = await contender.run(round);
        sample.results.push(result);
        progress(`${what}: ${describe(result)}`);
      } catch (error) {
        sample.error = errorLine(error);
        progress(`${what} FAILED: ${sample.error}`);
      }
    }
  }

  for (const [group, javaName] of [
    [producers, JAVA_PRODUCER],
    [consumers, JAVA_CONSUMER],
  ] as const) {
    const direction = group[0]?.direction ?? 'produce';
    const summary = (c: Contender): { rps: number; mib: number; spread: number; leadInMs?: number } | undefined => {
      const s = samples.get(c);
      if (!s || s.error !== undefined || s.results.length === 0) return undefined;
      const rps = s.results.map((r) => r.recordsPerSecond);
      const rpsMedian = median(rps);
      const leadIns = s.results.flatMap((r) => (r.leadInSeconds === undefined ? [] : [r.leadInSeconds * 1000]));
      return {
        rps: rpsMedian,
        mib: median(s.results.map((r) => r.mibPerSecond)),
        spread: (Math.max(...rps) - Math.min(...rps)) / rpsMedian,
        ...(leadIns.length > 0 ? { leadInMs: median(leadIns) } : {}),
      };
    };
    // Kafka's own tool is the peer; if it failed, kafkajs is, so the Node clients still compare.
    const peer = [group.find((c) => c.name === javaName), group.find((c) => c.name === kafkajsClient.name)]
      .map((c) => (c ? { name: c.name, summary: summary(c) } : undefined))
      .find((p) => p?.summary !== undefined);
    out.notes.push(`${label} ${direction}: ratio = median msgs/s ÷ median msgs/s of ${peer?.name ?? '(no peer succeeded)'}`);
    for (const contender of group) {
      const s = summary(contender);
      if (!s) {
        out.failed.push({ recordSize: size.recordSize, direction, client: contender.name, error: samples.get(contender)?.error ?? 'no result' });
        continue;
      }
      out.rows.push({
        recordSize: size.recordSize,
        direction,
        client: contender.name,
        records,
        recordsPerSecond: s.rps,
        mibPerSecond: s.mib,
        spread: s.spread,
        ratio: peer?.summary ? s.rps / peer.summary.rps : undefined,
        ...(s.leadInMs === undefined ? {} : { leadInMs: s.leadInMs }),
      });
    }
  }
}

/**
 * A fresh broker's JIT is cold and whoever ran first would pay for it: a short unmeasured load
 * warms the produce and fetch paths before the first measurement.
 */
async function warmUp(cluster: KafkaCluster, admin: KafkaAdmin): Promise<void> {
  progress('warming up the broker (unmeasured)');
  const topic = 'baseline-warmup';
  await admin.ensureTopic({ topic, partitions: PARTITIONS, replicationFactor: 1 });
  await rdkafkaClient.produce({ bootstrap: cluster.bootstrap, topic, records: 50_000, payload: randomBytes(512) });
  await rdkafkaClient.consume({ bootstrap: cluster.bootstrap, topic, records: 50_000, groupId: 'baseline-warmup' });
}

function scenarioDescription(): string {
  return `### baseline

\`npm run bench -- baseline [--records N] [--size B] [--rounds R] [--quick] [--no-record]\` — about 3
minutes on 2 cores with the defaults (${DEFAULTS.small.toLocaleString('en-US')} × 100 B and ${DEFAULTS.large.toLocaleString('en-US')} × 1 KB, ${DEFAULTS.rounds} rounds).

- One single-broker Kafka cluster (KRaft, loopback, started and stopped by the bench, on the
  same machine as the clients), warmed up with an unmeasured load first.
- Records of 100 B and 1 KB: random bytes, no key, no compression; acks=all everywhere.
  Every topic has ${PARTITIONS} partitions and replication factor 1; each producer writes a fresh topic
  per record size and round.
- *produce*: records/s and MiB/s (value bytes only, MiB = 2^20 B as Kafka's tools print
  "MB") of kafkajs, node-rdkafka and @platformatic/kafka, timed from the first send to the last
  acknowledgement; afterwards the topic's end offsets must equal the record count. The peer is
  Kafka's own \`org.apache.kafka.tools.ProducerPerformance\` (Java client, kafka-tools jar), whose
  own summary line is used, so JVM start-up is not counted.
- *consume*: each client reads the records ProducerPerformance wrote in that round, from the
  beginning with a fresh consumer group. The peer is Kafka's
  \`org.apache.kafka.tools.ConsumerPerformance\`, whose \`fetch.nMsg.sec\` runs from partition
  assignment to the last record (connecting and the group join excluded; the offset lookup and
  first fetch included); the Node clients are timed the same way. *lead-in* is the part of that
  time before a Node client's first record arrived: timing from the first record instead would
  leave it out for them but not for the Java tool (up to 20 % of a 1 KB run).
- Each measurement is repeated per round (the order rotates between rounds) and the table shows
  the median; *spread* is (max − min) / median of the rounds' msgs/s, a noise gauge.
- Caveats: the broker, the client under test and anything else on the machine share its CPUs,
  so a busy machine shows as a large spread (the entry records the load average). Kafka's Java
  tools start a fresh JVM per measurement and pay JIT warm-up inside their timing, with JIT and
  GC threads that can take both cores of a 2-core machine away from the broker: short runs
  understate them (ConsumerPerformance alone on this 2-core machine: about 120,000 msgs/s over
  75,000 × 1 KB, 260,000 over 400,000 × 1 KB). More records (\`--records\`) narrow that gap.
- Client settings are listed under each entry. \`--quick\` runs are not recorded.
`;
}

function resultsEntry(machine: MachineInfo, options: Options, table: string, notes: readonly string[], load: { before: number; after: number }): string {
  const counts = options.sizes.map((s) => `${s.records.toLocaleString('en-US')} × ${sizeLabel(s.recordSize)}`).join(' and ');
  const settings = [
    `- ${JAVA_PRODUCER}: \`--throughput -1 --producer-props ${JAVA_PRODUCER_PROPS.join(' ')}\`, other Java producer defaults (max.in.flight.requests.per.connection 5, sticky partitioning, no compression)`,
    `- ${JAVA_CONSUMER}: defaults (fetch size 1 MiB per partition, max.poll.records 500), \`--timeout 60000\``,
    ...CLIENTS.flatMap((c) => [`- ${c.name} producer: ${c.producerSettings}`, `- ${c.name} consumer: ${c.consumerSettings}`]),
  ];
  return `
## baseline — ${machine.date}

- machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM; Node ${machine.node}; ${machine.java}
- software: ${machine.clients}
- records: ${counts} per round, ${options.rounds} round(s); ${PARTITIONS} partitions per topic; one broker (heap ${HEAP_MB} MiB)
- load average (1 min) before the run ${load.before.toFixed(2)}, at its end ${load.after.toFixed(2)}: other processes on the machine share its CPUs

${table}

${notes.map((n) => `- ${n}`).join('\n')}

Settings:

${settings.join('\n')}
`;
}

/** Per record size and direction, each Node client's msgs/s ÷ Kafka's Java tool's: context, no goal. */
function currentFigures(rows: readonly ResultRow[]): CurrentFigure[] {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const key = `${sizeLabel(row.recordSize)} ${row.direction}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups].map(([key, group]) => ({
    what: `${key}: msgs/s of each Node client ÷ ${group[0]!.direction === 'produce' ? JAVA_PRODUCER : JAVA_CONSUMER}`,
    figure: group
      .filter((row) => row.ratio !== undefined && row.client !== JAVA_PRODUCER && row.client !== JAVA_CONSUMER)
      .map((row) => `${row.client} ${row.ratio!.toFixed(2)}`)
      .join(', '),
    goal: '- (context)',
    verdict: '-',
  }));
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const runDir = stateDir('bench-run');
  const workDir = join(runDir, CLUSTER_NAME);
  await ensureKafkaJars(progress);
  const machine = await machineInfo();
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > machine.cpus / 2) progress(`load average is ${loadBefore.toFixed(2)} on ${machine.cpus} CPUs: other processes will make the figures noisy`);
  const outcome: Outcome = { rows: [], failed: [], notes: [] };
  const loadAfter = await withBenchCluster({ name: CLUSTER_NAME, basePort: BASE_PORT, runDir, heapMb: HEAP_MB, progress }, async (cluster) => {
    const admin = await connectAdmin({ bootstrap: cluster.bootstrap, requestTimeoutMs: 30_000 });
    try {
      await warmUp(cluster, admin);
      for (const size of options.sizes) await runSize(cluster, admin, size, options.rounds, workDir, outcome);
    } finally {
      await admin.close();
    }
    return loadavg()[0] ?? 0;
  });

  const table = formatTable(outcome.rows, outcome.failed);
  console.log(`${table}\n\n${outcome.notes.map((n) => `- ${n}`).join('\n')}`);
  if (outcome.failed.length > 0) {
    progress(`${outcome.failed.length} measurement(s) failed; not recorded. Broker logs: ${workDir}`);
    return 1;
  }
  // Several hundred MB of topic data per run; the logs are only worth keeping after a failure.
  rmSync(workDir, { recursive: true, force: true });
  if (options.record) {
    recordResult(RESULTS_PATH, {
      scenario: 'baseline',
      description: scenarioDescription(),
      entry: resultsEntry(machine, options, table, outcome.notes, { before: loadBefore, after: loadAfter }),
      date: machine.date,
      current: currentFigures(outcome.rows),
    });
    progress(`recorded in ${RESULTS_PATH}`);
  } else {
    progress(options.quick ? '--quick: not recorded' : '--no-record: not recorded');
  }
  return 0;
}

runBenchMain(main, USAGE);
