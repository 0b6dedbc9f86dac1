// The HTTP proxy (apps/proxy) against the Strimzi HTTP Bridge 1.1.0 on the same single-broker
// cluster in the same run (issue #24): records/s and latency p50 / p99 of produce requests at a
// fixed concurrency, 1 record per request and 50 records per request, 1 KB JSON values, driven by
// autocannon. The proxy is the real one: a child process following a real management service,
// with an application's API token and a produce policy. Goal: at least 2× the bridge's records/s
// with at most half its p99. Table to stdout, progress to stderr, an entry in bench/RESULTS.md.
//
//   npm run bench -- proxy [--rounds R] [--seconds S] [--connections C] [--quick] [--no-record] [--proxy-cpu-prof]
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAdmin, type KafkaAdmin } from '@flotilla/kafka';
import { ensureKafkaJars, startCluster, stopLeftovers } from '@flotilla/local-kafka';
import { stateDir } from '@flotilla/local-runtime';
import { errorLine, parseBenchOptions, runBenchMain } from './lib/bench-options';
import { CleanupStack } from './lib/cleanup-stack';
import { runLoad, type LoadResult } from './lib/http-load';
import { summarizeLatencies } from './lib/latency-percentiles';
import { machineInfo, type MachineInfo } from './lib/machine-info';
import { markdownTable } from './lib/markdown-table';
import { judgePaired, type PairedJudgement } from './lib/paired-verdict';
import { clockTicksPerSecond, processCpuSeconds } from './lib/process-cpu';
import { startProxyBenchPlatform } from './lib/proxy-bench-platform';
import { recordResult, type CurrentFigure } from './lib/results-file';
import { median, medianInterval, rotate, spread } from './lib/round-stats';
import { BRIDGE_VERSION, bridgeComponents, bridgeDistribution, bridgeProperties, startBridge, type BridgeDistribution } from './lib/strimzi-bridge';

const SCENARIO = 'proxy';
const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
const BATCHES = [1, 50] as const;
const VALUE_BYTES = 1024;
const PARTITIONS = 3;
/** Issue #24: proxy records/s ÷ the bridge's at least this, proxy p99 ÷ the bridge's at most 1/this. */
const GOAL = 2;
// Ports clear of `npm start` (19092…), test runs (+5000 … +14000), the client bench (24592), the
// router bench (25xxx) and the Linux ephemeral range.
const CLUSTER = { name: 'proxy-bench', basePort: 26092 };
const PROXY_PORT = 26480;
const BRIDGE_PORT = 26580;
const BRIDGE_MANAGEMENT_PORT = 26581;
const BROKER_HEAP_MB = 1024;
const BRIDGE_HEAP_MB = 1024;
/** 6 rounds: the paired ratios' interval is the whole range then, covering 96.9% (5 give 93.75%). */
const DEFAULTS = { rounds: 6, seconds: 8, connections: 32 };
const QUICK = { rounds: 1, seconds: 3 };
const WARM_UP_SECONDS = { full: 4, quick: 2 };
/** Of every run, unmeasured: the connections are new, and the bridge starts a Kafka producer per connection. */
const LEAD_IN_SECONDS = 2;

type Contender = 'proxy' | 'bridge';
const CONTENDERS: readonly Contender[] = ['proxy', 'bridge'];
const LABEL: Record<Contender, string> = { proxy: 'Flotilla proxy', bridge: `Strimzi HTTP Bridge ${BRIDGE_VERSION}` };

interface Options {
  rounds: number;
  seconds: number;
  connections: number;
  record: boolean;
  quick: boolean;
  cpuProfile: boolean;
}

const USAGE = `usage: npm run bench -- ${SCENARIO} [--rounds R] [--seconds S] [--connections C] [--quick] [--no-record] [--proxy-cpu-prof]
  --rounds R        rounds; each runs every contender at every batch size once (default ${DEFAULTS.rounds})
  --seconds S       seconds of load per contender, batch size and round (default ${DEFAULTS.seconds})
  --connections C   concurrent keep-alive connections, each with one request outstanding (default ${DEFAULTS.connections})
  --proxy-cpu-prof  run the proxy with --cpu-prof (profile kept in the run directory)
  --quick           ${QUICK.rounds} round of ${QUICK.seconds} s; not recorded
  --no-record       print the tables only; do not append to bench/RESULTS.md`;

function parseOptions(argv: string[]): Options {
  const counts = { small: 1, large: 1 };
  const common = parseBenchOptions(argv, { defaults: { ...counts, rounds: DEFAULTS.rounds }, quick: { ...counts, rounds: QUICK.rounds } }, USAGE, ['proxy-cpu-prof'], ['seconds', 'connections']);
  return {
    rounds: common.rounds,
    seconds: common.integers['seconds'] ?? (common.quick ? QUICK.seconds : DEFAULTS.seconds),
    connections: common.integers['connections'] ?? DEFAULTS.connections,
    record: common.record,
    quick: common.quick,
    cpuProfile: common.flags['proxy-cpu-prof'] === true,
  };
}

function progress(line: string): void {
  process.stderr.write(`\x1b[36m==>\x1b[0m ${line}\n`);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '-');

/** `{"seq":n,"pad":"xxx…"}` of exactly `size` bytes: stored as this JSON text by both contenders. */
function jsonValueText(size: number): string {
  const bare = '{"seq":0,"pad":""}';
  return `{"seq":0,"pad":"${'x'.repeat(size - bare.length)}"}`;
}

/** The same body for both: the proxy's `{ records: [{ value }] }` is the bridge's v2 JSON shape too. */
function requestBody(batch: number): string {
  const record = `{"value":${jsonValueText(VALUE_BYTES)}}`;
  return `{"records":[${Array.from({ length: batch }, () => record).join(',')}]}`;
}

interface Target {
  url: string;
  headers: Record<string, string>;
  pid: number;
  topic: string;
}

function topicOf(contender: Contender, batch: number): string {
  return `pb-${contender}-${batch}`;
}

interface LoadSample {
  contender: Contender;
  batch: number;
  round: number;
  ok: number;
  seconds: number;
  latenciesMs: readonly number[];
  p50: number;
  p99: number;
  /** CPU seconds of the server process (all its threads) over the run. */
  cpuSeconds: number;
}

const recordsPerSecond = (s: LoadSample): number => (s.ok * s.batch) / s.seconds;
const cpuMicrosPerRecord = (s: LoadSample): number => (s.cpuSeconds * 1e6) / (s.ok * s.batch);

async function endOffsetSum(admin: KafkaAdmin, topic: string): Promise<bigint> {
  let total = 0n;
  for (const offset of (await admin.endOffsets(topic)).values()) total += offset;
  return total;
}

/**
 * One closed-loop run, and the check that the topic grew by at least the records answered 2xx
 * (a contender answering before writing would show here) and by no more than those plus the
 * requests cut off in flight at the end. Any other answer than 2xx fails the run.
 */
async function loadRun(admin: KafkaAdmin, target: Target, batch: number, seconds: number, connections: number, leadInSeconds: number): Promise<{ result: LoadResult; cpuSeconds: number }> {
  const before = await endOffsetSum(admin, target.topic);
  let cpuBefore = Number.NaN;
  const result = await runLoad({
    url: target.url,
    connections,
    leadInSeconds,
    seconds,
    onWindowStart: () => (cpuBefore = processCpuSeconds(target.pid)),
    headers: target.headers,
    body: requestBody(batch),
  });
  const cpuSeconds = processCpuSeconds(target.pid) - cpuBefore;
  if (result.refused.size > 0 || result.errors > 0) {
    const statuses = [...result.refused].map(([status, count]) => `${count} × ${status}`).join(', ');
    throw new Error(`${result.ok} answers 2xx, ${statuses || 'no other status'}, ${result.errors} connection errors or timeouts`);
  }
  if (result.ok === 0) throw new Error('no request was answered in the measured window');
  // In-flight requests may still land after autocannon stopped: wait for them before counting.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const grew = Number((await endOffsetSum(admin, target.topic)) - before);
  const answered = result.allOk * batch;
  if (grew < answered || grew > answered + connections * batch) {
    throw new Error(`${integer.format(answered)} records answered 2xx, but ${target.topic} grew by ${integer.format(grew)} (expected ${integer.format(answered)} to ${integer.format(answered + connections * batch)})`);
  }
  return { result, cpuSeconds };
}

interface Measured {
  samples: LoadSample[];
  failures: string[];
  /** Why the bridge was not measured, when it was not. */
  bridgeMissing: string | undefined;
  /** The JDK and libraries the bridge ran on. */
  bridgeRuntime: string | undefined;
  profileDir: string | undefined;
}

async function measure(options: Options, runDir: string, distribution: BridgeDistribution): Promise<Measured> {
  const cleanup = new CleanupStack(progress);
  const profileDir = options.cpuProfile ? join(runDir, 'proxy-cpu-profile') : undefined;
  const bridgeMissing = 'missing' in distribution ? distribution.missing : undefined;
  const contenders = CONTENDERS.filter((c) => c === 'proxy' || bridgeMissing === undefined);
  const samples: LoadSample[] = [];
  const failures: string[] = [];
  try {
    progress(`starting a single-broker Kafka cluster on port ${CLUSTER.basePort} (heap ${BROKER_HEAP_MB} MiB)`);
    // On the stack before it starts: an interrupt while the broker is still starting stops it too.
    cleanup.push('Kafka', () => stopLeftovers(runDir));
    const cluster = await startCluster({ ...CLUSTER, runDir, heapMb: BROKER_HEAP_MB });
    const admin = await connectAdmin({ bootstrap: cluster.bootstrap, requestTimeoutMs: 30_000 });
    cleanup.push('Kafka admin', () => admin.close());
    // Every topic through management, the bridge's too: the same placement and settings for both.
    const topics = CONTENDERS.flatMap((c) => BATCHES.map((batch) => ({ name: topicOf(c, batch), partitions: PARTITIONS })));
    const platform = await startProxyBenchPlatform({
      cluster,
      topics,
      runDir,
      proxyPort: PROXY_PORT,
      proxyNodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      cleanup,
      progress,
    });
    const targets = new Map<Contender, (batch: number) => Target>();
    targets.set('proxy', (batch) => ({
      url: `${platform.proxyUrl}/v1/topics/${topicOf('proxy', batch)}/records`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.token}` },
      pid: platform.proxyPid,
      topic: topicOf('proxy', batch),
    }));
    if (!('missing' in distribution)) {
      progress(`starting the Strimzi HTTP Bridge ${BRIDGE_VERSION} (Java ${distribution.java.version}, heap ${BRIDGE_HEAP_MB} MiB, port ${BRIDGE_PORT})`);
      const bridge = await startBridge({ distribution, bootstrap: cluster.bootstrap, port: BRIDGE_PORT, managementPort: BRIDGE_MANAGEMENT_PORT, heapMb: BRIDGE_HEAP_MB, workDir: runDir, cleanup });
      targets.set('bridge', (batch) => ({
        url: `${bridge.url}/topics/${topicOf('bridge', batch)}`,
        headers: { 'content-type': 'application/vnd.kafka.json.v2+json' },
        pid: bridge.pid,
        topic: topicOf('bridge', batch),
      }));
    } else {
      progress(`the Strimzi HTTP Bridge is missing; measuring the proxy alone.\n${distribution.missing}`);
    }

    // Unmeasured: both JITs (V8's, the JVM's), the producers' connections and metadata, the page cache.
    const warmUp = options.quick ? WARM_UP_SECONDS.quick : WARM_UP_SECONDS.full;
    progress(`warm-up (not measured): every contender ${warmUp} s at each batch size`);
    for (const contender of contenders) for (const batch of BATCHES) await loadRun(admin, targets.get(contender)!(batch), batch, warmUp, options.connections, LEAD_IN_SECONDS);

    const failed = new Set<string>();
    for (let round = 0; round < options.rounds; round++) {
      for (const batch of BATCHES) {
        // Who goes first alternates: the second runs on a broker with the first one's log behind it.
        for (const contender of rotate(contenders, round)) {
          const key = `${contender} ${batch}`;
          if (failed.has(key)) continue;
          const what = `${LABEL[contender]}, ${batch} record(s) per request (round ${round + 1}/${options.rounds}, ${options.connections} connections, ${options.seconds} s)`;
          progress(what);
          try {
            const { result, cpuSeconds } = await loadRun(admin, targets.get(contender)!(batch), batch, options.seconds, options.connections, LEAD_IN_SECONDS);
            const { p50, p99 } = summarizeLatencies(result.latenciesMs);
            const sample: LoadSample = { contender, batch, round, ok: result.ok, seconds: result.seconds, latenciesMs: result.latenciesMs, p50, p99, cpuSeconds };
            samples.push(sample);
            progress(`${what}: ${integer.format(recordsPerSecond(sample))} records/s, p50 ${ms(p50)} ms, p99 ${ms(p99)} ms, ${cpuMicrosPerRecord(sample).toFixed(1)} µs CPU per record`);
          } catch (error) {
            failed.add(key);
            failures.push(`${what}: ${errorLine(error)}`);
            progress(`${what} FAILED: ${errorLine(error)}`);
          }
        }
      }
    }
    return { samples, failures, bridgeMissing, bridgeRuntime: 'missing' in distribution ? undefined : `Java ${distribution.java.version}, ${bridgeComponents(distribution.dir)}`, profileDir };
  } finally {
    progress('stopping the bridge, the proxy, management and Kafka');
    await cleanup.run();
  }
}

interface Report {
  tables: string;
  notes: string[];
  current: CurrentFigure[];
}

function intervalText(j: PairedJudgement, digits = 2): string {
  return `${j.median.toFixed(digits)} (${j.low.toFixed(digits)}–${j.high.toFixed(digits)})`;
}

function report(options: Options, measured: Measured): Report {
  const of = (contender: Contender, batch: number): LoadSample[] => measured.samples.filter((s) => s.contender === contender && s.batch === batch);
  const rows: string[][] = [];
  for (const batch of BATCHES) {
    for (const contender of CONTENDERS) {
      const runs = of(contender, batch);
      if (runs.length === 0) {
        rows.push([String(batch), LABEL[contender], contender === 'bridge' && measured.bridgeMissing !== undefined ? 'missing' : 'failed', '-', '-', '-', '-', '-']);
        continue;
      }
      const all = summarizeLatencies(runs.flatMap((r) => r.latenciesMs));
      const rates = runs.map(recordsPerSecond);
      rows.push([
        String(batch),
        LABEL[contender],
        integer.format(median(rates)),
        integer.format(median(runs.map((r) => r.ok / r.seconds))),
        ms(all.p50),
        ms(all.p99),
        `${Math.round(spread(rates) * 100)}%`,
        median(runs.map(cpuMicrosPerRecord)).toFixed(1),
      ]);
    }
  }
  const table = markdownTable(['records per request', 'contender', 'records/s', 'requests/s', 'p50 ms', 'p99 ms', 'spread', 'CPU µs per record'], rows, [0, 2, 3, 4, 5, 6, 7]);

  const ratioRows: string[][] = [];
  const current: CurrentFigure[] = [];
  for (const batch of BATCHES) {
    const proxy = of('proxy', batch);
    const bridge = of('bridge', batch);
    const paired = proxy.flatMap((p) => {
      const b = bridge.find((x) => x.round === p.round);
      return b ? [{ p, b }] : [];
    });
    const what = `${batch} × 1 KB record${batch > 1 ? 's' : ''} per request, ${options.connections} connections`;
    if (paired.length === 0) {
      const why = measured.bridgeMissing !== undefined ? 'not judged: the bridge is missing' : 'not judged: a contender failed';
      ratioRows.push([String(batch), '-', '-', why, '-', '-', why]);
      continue;
    }
    const rate = judgePaired(paired.map(({ p, b }) => recordsPerSecond(p) / recordsPerSecond(b)), { atLeast: GOAL });
    const p99 = judgePaired(paired.map(({ p, b }) => p.p99 / b.p99), { atMost: 1 / GOAL });
    const proxyAll = summarizeLatencies(proxy.flatMap((r) => r.latenciesMs));
    const bridgeAll = summarizeLatencies(bridge.flatMap((r) => r.latenciesMs));
    ratioRows.push([String(batch), intervalText(rate), `≥ ${GOAL}`, rate.verdict, intervalText(p99), `≤ ${1 / GOAL}`, p99.verdict]);
    current.push(
      {
        what: `${what}: records/s, proxy ÷ Strimzi HTTP Bridge ${BRIDGE_VERSION}, paired`,
        figure: `${intervalText(rate)}; ${integer.format(median(proxy.map(recordsPerSecond)))} against ${integer.format(median(bridge.map(recordsPerSecond)))} records/s`,
        goal: `≥ ${GOAL}`,
        verdict: rate.verdict,
      },
      {
        what: `${what}: p99 latency, proxy ÷ Strimzi HTTP Bridge ${BRIDGE_VERSION}, paired`,
        figure: `${intervalText(p99)}; p50 / p99 ${ms(proxyAll.p50)} / ${ms(proxyAll.p99)} ms against ${ms(bridgeAll.p50)} / ${ms(bridgeAll.p99)} ms`,
        goal: `≤ ${1 / GOAL}`,
        verdict: p99.verdict,
      },
    );
  }
  const ratios = markdownTable(['records per request', 'records/s: proxy ÷ bridge', 'goal', 'verdict', 'p99: proxy ÷ bridge', 'goal', 'verdict'], ratioRows, [0, 1, 4]);
  const { k, coverage } = medianInterval(Array.from({ length: options.rounds }, (_, i) => i));
  const notes = [
    `records/s: median over the rounds of (2xx answers × records per request) ÷ the run's seconds; requests/s likewise; spread = (max − min) ÷ median of the rounds' records/s`,
    `p50 / p99: over every 2xx answer of every round, from the request's start to its answer's end (autocannon's per-response time)`,
    `paired ratios: proxy ÷ bridge within each round, median over the rounds and the ${k > 1 ? `${k}-th smallest to ${k}-th largest` : 'whole range'} of ${options.rounds} (covering ${(coverage * 100).toFixed(1)}%); goal met when the interval lies on the goal's side, missed when it lies on the other`,
    `CPU µs per record: CPU time of the server process (all threads: the proxy's librdkafka, the bridge's JVM with its GC and Kafka producer) over the run ÷ records answered; the broker's and the load generator's are not in it`,
    ...(measured.bridgeMissing === undefined ? [] : [`the Strimzi HTTP Bridge was not measured: ${measured.bridgeMissing.split('\n')[0]}`]),
  ];
  return { tables: `${table}\n\n${ratios}`, notes, current };
}

function scenarioDescription(): string {
  return `### ${SCENARIO}

\`bench/proxy.bench.ts\` — the HTTP proxy (apps/proxy) against the Strimzi HTTP Bridge ${BRIDGE_VERSION}
(Kafka REST v2-style API) on the same single-broker cluster in the same run (issue #24). Goal: at
least ${GOAL}× the bridge's records/s at the same concurrency, with a p99 at most 1/${GOAL} of its.

- One single-broker Kafka (port ${CLUSTER.basePort}, heap ${BROKER_HEAP_MB} MiB). Management runs in the bench
  process (PGlite); the proxy is \`apps/proxy/src/main.ts\` as a child process following it, with
  its defaults (node-rdkafka transport, acks=all, idempotence, \`PROXY_LINGER_MS\` 1); the
  application has an API token and a \`PUT /topics/**\` policy, and no quota. The bridge runs from
  its distribution, built by the bench from its source release in \`.cache/peers/\` with Maven
  (\`-Dstrimzi-oauth.version=0.17.1 -Dstrimzi-metrics-reporter.version=0.3.0
  -Dstrimzi-test-container.version=0.115.0\`, a JDK ≥ 21), heap ${BRIDGE_HEAP_MB} MiB, its shipped
  application.properties but for the cluster, the ports, the consumer side off and
  \`kafka.producer.acks=all\` (shipped: 1), so both answer after the same acknowledgement.
  Without the bridge the bench says how to get it and measures the proxy alone (not recorded).
- Each contender writes its own topics of ${PARTITIONS} partitions, created through management; no keys.
- Load: autocannon in the bench process, a fixed number of HTTP/1.1 keep-alive connections
  (32 by default, \`--connections\`), each sending the next request as soon as the last is
  answered, for a fixed time per run (\`--seconds\`, 8 by default) after a lead-in of ${LEAD_IN_SECONDS} s
  on the same connections that is not measured: the connections of a run are new, and the
  bridge starts a Kafka producer for each new connection (the proxy shares one), which a
  long-lived keep-alive client pays once. The same body for both:
  \`{"records":[{"value":{"seq":0,"pad":"…"}}, …]}\`, 1 or 50 records of a JSON value of exactly
  ${VALUE_BYTES} bytes (stored as that JSON text by both); \`content-type: application/json\` and a Bearer
  token to \`POST /v1/topics/{t}/records\` (ack=sync, the default) for the proxy,
  \`application/vnd.kafka.json.v2+json\` to \`POST /topics/{t}\` for the bridge.
- After each run the topic must have grown by at least the records answered 2xx (and at most
  those plus one request per connection cut off at the end); any answer other than 2xx, or a
  connection error, fails the run.
- An unmeasured warm-up runs every contender at each batch size first; then each round runs
  both contenders at each batch size, who goes first alternating by round. 6 rounds by default
  (\`--rounds\`); \`--quick\` is one round of 3 s and is not recorded. \`--proxy-cpu-prof\` runs the
  proxy with \`--cpu-prof\` and keeps the profile.
- The broker, the contender, the load generator and management share the machine's CPUs; the
  entry records the load average.
`;
}

function resultsEntry(machine: MachineInfo, options: Options, measured: Measured, load: { before: number; after: number }, r: Report): string {
  return `
## ${SCENARIO} — ${machine.date}

- machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM; Node ${machine.node}; ${machine.java} (Kafka)
- software: ${machine.clients}; Strimzi HTTP Bridge ${BRIDGE_VERSION} built from its source release (${measured.bridgeRuntime ?? '-'})
- ${options.rounds} round(s) of ${options.seconds} s per contender and batch size, ${options.connections} connections, ${VALUE_BYTES} B JSON values, ${PARTITIONS} partitions
- load average (1 min) before the run ${load.before.toFixed(2)}, at its end ${load.after.toFixed(2)}${load.before > machine.cpus / 2 || load.after > machine.cpus ? ': other processes on the machine share its CPUs' : ''}

${r.tables}

${r.notes.map((n) => `- ${n}`).join('\n')}

Bridge settings: ${bridgeProperties({ bootstrap: ['<cluster>'], port: BRIDGE_PORT, managementPort: BRIDGE_MANAGEMENT_PORT }).join(', ')}
`;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const runDir = stateDir('bench-proxy-run');
  await ensureKafkaJars(progress);
  await clockTicksPerSecond();
  await stopLeftovers(runDir);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const distribution = await bridgeDistribution(progress);
  const machine = await machineInfo();
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > machine.cpus / 2) progress(`load average is ${loadBefore.toFixed(2)} on ${machine.cpus} CPUs: other processes will make the figures noisy`);
  let succeeded = false;
  try {
    const measured = await measure(options, runDir, distribution);
    const r = report(options, measured);
    console.log(`${r.tables}\n\n${r.notes.map((n) => `- ${n}`).join('\n')}`);
    if (measured.profileDir) progress(`proxy CPU profile(s) in ${measured.profileDir}`);
    if (measured.failures.length > 0) {
      for (const failure of measured.failures) progress(`FAILED ${failure}`);
      progress(`${measured.failures.length} measurement(s) failed; not recorded`);
      return 1;
    }
    if (measured.bridgeMissing !== undefined) {
      progress(`the Strimzi HTTP Bridge is missing: not recorded.\n${measured.bridgeMissing}`);
    } else if (options.record) {
      recordResult(RESULTS_PATH, {
        scenario: SCENARIO,
        description: scenarioDescription(),
        entry: resultsEntry(machine, options, measured, { before: loadBefore, after: loadavg()[0] ?? 0 }, r),
        date: machine.date,
        current: r.current,
      });
      progress(`recorded in ${RESULTS_PATH}`);
    } else {
      progress(options.quick ? '--quick: not recorded' : '--no-record: not recorded');
    }
    succeeded = true;
    return 0;
  } finally {
    rmSync(join(runDir, CLUSTER.name, 'broker-0', 'data'), { recursive: true, force: true });
    if (succeeded && !options.cpuProfile) rmSync(runDir, { recursive: true, force: true });
    else progress(`logs kept in ${runDir}`);
  }
}

runBenchMain(main, USAGE);
