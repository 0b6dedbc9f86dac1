// How fast a published mapping version reaches subscribed clients (issue #4): the real management
// service, started in this process on a fresh PGlite database with a fleet-sized registry, and
// 1,000 smart-client live mapping sources in two child processes. Each round publishes a version
// through the tRPC API and times, per follower, from the publish call to the follower's listener
// seeing it. The peer is the minimal in-memory SSE server (tools/mapping-server) pushing the same
// document to the same followers in the same run: what management adds over a bare push.
//
//   npm run bench -- mapping [--followers N] [--rounds R] [--quick] [--no-record]
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppRouter } from '@flotilla/api';
import { managementConfigSchema, startManagement, type RunningManagement } from '@flotilla/management';
import { startMappingServer, type MappingServer } from '@flotilla/mapping-server';
import { compileMapping, parseMapping } from '@flotilla/mapping';
import { createLogger } from '@flotilla/observability';
import { createTRPCClient, httpLink } from '@trpc/client';
import { parseBenchOptions, runBenchMain, UsageError } from './lib/bench-options';
import { summarizeLatencies, type LatencySummary } from './lib/latency-percentiles';
import { machineInfo, type MachineInfo } from './lib/machine-info';
import { BENCH_REGISTRY, buildBenchRegistry, moveProducers, type BenchRegistry } from './lib/mapping-bench-registry';
import { wallClockMs, type FollowerMode } from './lib/mapping-follower-protocol';
import { startFollowerFleet, type FollowerFleet } from './lib/mapping-followers';
import { markdownTable } from './lib/markdown-table';
import { median } from './lib/round-stats';
import { recordResult, type CurrentFigure } from './lib/results-file';

const SCENARIO = 'mapping';
const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
const FOLLOWER_PROCESSES = 2;
const DEFAULTS = { followers: 1_000, rounds: 10 };
const QUICK = { followers: 100, rounds: 3 };
const GOAL_P99_MS = 1_000;
/** A version still missing this long after its publish is counted as missed, and the run goes on. */
const ROUND_TIMEOUT_MS = 30_000;
/** Between publishes: lets the follower processes finish their garbage collection first. */
const SETTLE_MS = 500;
const MANAGEMENT = 'management';
const PEER = 'peer';

interface Options {
  followers: number;
  mode: FollowerMode;
  rounds: number;
  record: boolean;
  quick: boolean;
}

const USAGE = `usage: npm run bench -- ${SCENARIO} [--followers N] [--rounds R] [--quick] [--no-record]
  --followers N followers per server, split over ${FOLLOWER_PROCESSES} processes (default ${DEFAULTS.followers})
  --rounds R    versions published and timed per server (default ${DEFAULTS.rounds}), after one unmeasured
  --quick       ${QUICK.followers} followers, ${QUICK.rounds} rounds, not recorded in bench/RESULTS.md
  --clients     followers are smart-client liveMappingSources (each parses and compiles every version,
                500 to a process, so their own CPU queue dominates) instead of raw SSE streams
  --no-record   print the table only; do not append to bench/RESULTS.md`;

/** Takes `--followers N` (or `=N`) out of `argv`: the shared parser knows only record counts. */
function takeFollowers(argv: string[]): { followers: number | undefined; rest: string[] } {
  const rest: string[] = [];
  let text: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--followers') text = argv[++i] ?? '';
    else if (arg.startsWith('--followers=')) text = arg.slice('--followers='.length);
    else rest.push(arg);
  }
  if (text === undefined) return { followers: undefined, rest };
  const n = Number(text);
  if (!Number.isInteger(n) || n < FOLLOWER_PROCESSES || n % FOLLOWER_PROCESSES !== 0) {
    throw new UsageError(`--followers: got "${text}", expected a positive multiple of ${FOLLOWER_PROCESSES} (they are split over ${FOLLOWER_PROCESSES} processes)`);
  }
  return { followers: n, rest };
}

function parseOptions(argv: string[]): Options {
  const { followers, rest } = takeFollowers(argv);
  // The shared parser also knows --records, which means nothing here: refuse it rather than ignore it.
  if (rest.some((arg) => arg === '--records' || arg.startsWith('--records='))) {
    throw new UsageError(`--records: not an option of the ${SCENARIO} scenario (--followers sets the load)`);
  }
  const common = parseBenchOptions(rest, { defaults: { small: 1, large: 1, rounds: DEFAULTS.rounds }, quick: { small: 1, large: 1, rounds: QUICK.rounds } }, USAGE, ['clients']);
  return {
    followers: followers ?? (common.quick ? QUICK.followers : DEFAULTS.followers),
    mode: common.flags['clients'] === true ? 'client' : 'stream',
    rounds: common.rounds,
    record: common.record,
    quick: common.quick,
  };
}

function progress(line: string): void {
  process.stderr.write(`\x1b[36m==>\x1b[0m ${line}\n`);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : `${value < 10 ? value.toFixed(1) : integer.format(value)} ms`;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Per server: every follower × version latency, and per round the last follower and the publish call. */
interface Measured {
  latencies: number[];
  firstFollower: number[];
  lastFollower: number[];
  publishCall: number[];
  missed: number;
}

interface ServerResult extends Measured {
  summary: LatencySummary;
  warnings: readonly string[];
}

const newMeasured = (): Measured => ({ latencies: [], firstFollower: [], lastFollower: [], publishCall: [], missed: 0 });

async function timeRound(fleet: FollowerFleet, target: string, version: number, publish: () => Promise<void>, into: Measured | undefined): Promise<void> {
  const start = wallClockMs();
  await publish();
  const returned = wallClockMs();
  const delivery = await fleet.collect(target, version, ROUND_TIMEOUT_MS);
  if (delivery.missing > 0) progress(`${target} v${version}: ${delivery.missing} follower(s) did not have it within ${ROUND_TIMEOUT_MS} ms`);
  const latencies = delivery.times.map((t) => t - start);
  const last = latencies.length === 0 ? Number.NaN : Math.max(...latencies);
  progress(`${target} v${version}: publish call ${ms(returned - start)}, last of ${delivery.times.length} followers after ${ms(last)}${into ? '' : ' (warm-up)'}`);
  if (into) {
    into.latencies.push(...latencies);
    into.firstFollower.push(latencies.length === 0 ? Number.NaN : Math.min(...latencies));
    into.lastFollower.push(last);
    into.publishCall.push(returned - start);
    into.missed += delivery.missing;
  }
  await sleep(SETTLE_MS);
}

/** Median time one follower spends on a version: JSON.parse, validate, compile (what the version gate does). */
function parseAndCompileMs(raw: string): number {
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    const started = performance.now();
    compileMapping(parseMapping(JSON.parse(raw) as unknown));
    samples.push(performance.now() - started);
  }
  // The first runs are the JIT's; a follower that has been running a while is past them.
  return median(samples.slice(10));
}

interface RunFacts {
  documentBytes: number;
  parseMs: number;
  registry: BenchRegistry;
  consumerPlacements: number;
  buildMs: number;
  followerStartMs: number;
  followerRssMiB: number;
  load: { before: number; after: number };
}

function tables(results: ReadonlyMap<string, ServerResult>, options: Options, parseMs: number): { table: string; notes: string[]; current: CurrentFigure[] } {
  const label = (name: string): string => (name === MANAGEMENT ? 'management (tRPC mapping.publish → /v1/mapping/stream)' : 'peer: tools/mapping-server publish()');
  const rows = [...results].map(([name, r]) => [
    label(name),
    integer.format(options.followers),
    String(options.rounds),
    integer.format(r.summary.count),
    integer.format(r.missed),
    ms(r.summary.p50),
    ms(r.summary.p99),
    ms(r.summary.max),
    ms(median(r.firstFollower)),
    `${ms(median(r.lastFollower))} / ${ms(Math.max(...r.lastFollower))}`,
    ms(median(r.publishCall)),
    integer.format(r.warnings.length),
  ]);
  const table = markdownTable(
    ['server', 'followers', 'rounds', 'deliveries', 'missed', 'p50', 'p99', 'max', 'first has it', 'all have it (median / worst round)', 'publish call', 'warnings'],
    rows,
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
  const management = results.get(MANAGEMENT);
  const peer = results.get(PEER);
  const notes: string[] = [];
  if (management && peer) {
    notes.push(
      `management ÷ peer: p50 ${(management.summary.p50 / peer.summary.p50).toFixed(2)}, p99 ${(management.summary.p99 / peer.summary.p99).toFixed(2)}, ` +
        `first has it ${(median(management.firstFollower) / median(peer.firstFollower)).toFixed(2)}, ` +
        `all have it ${(median(management.lastFollower) / median(peer.lastFollower)).toFixed(2)} (medians over rounds)`,
    );
  }
  const perProcess = options.followers / FOLLOWER_PROCESSES;
  if (options.mode === 'client') {
    notes.push(
      `follower-side floor: ${integer.format(perProcess)} followers × ${ms(parseMs)} parse + compile = ${ms(perProcess * parseMs)} of CPU per process and version ` +
        `before any I/O, on CPUs shared with the servers; the tail is mostly that queue, management's own share is in *first has it* and *publish call*`,
    );
  } else {
    notes.push(`a real smart client spends ${ms(parseMs)} of its own CPU parsing and compiling a version after it arrives (measured here, once)`);
  }
  const current: CurrentFigure[] = [];
  if (management) {
    const met = management.missed === 0 && management.summary.p99 < GOAL_P99_MS;
    current.push({
      what: `a published mapping version reaching ${integer.format(options.followers)} ${options.mode === 'stream' ? 'raw SSE' : 'smart-client'} followers: p99, management against the peer`,
      figure: `${ms(management.summary.p99)} against ${peer ? ms(peer.summary.p99) : '-'}${management.missed > 0 ? `; ${management.missed} deliveries missed` : ''}`,
      goal: `p99 < ${integer.format(GOAL_P99_MS)} ms`,
      verdict: met ? 'met' : 'missed',
    });
    notes.push(`goal: management p99 < ${integer.format(GOAL_P99_MS)} ms — ${met ? 'met' : 'NOT met'} (p99 ${ms(management.summary.p99)}${management.missed > 0 ? `, ${management.missed} deliveries missed` : ''})`);
  }
  for (const [name, r] of results) {
    const distinct = [...new Set(r.warnings)];
    if (distinct.length > 0) notes.push(`${name} followers' warnings (${r.warnings.length}, distinct shown): ${distinct.slice(0, 3).join(' | ')}`);
  }
  return { table, notes, current };
}

function scenarioDescription(): string {
  const s = BENCH_REGISTRY;
  return `### ${SCENARIO}

\`npm run bench -- ${SCENARIO} [--followers N] [--rounds R] [--quick] [--no-record]\` — how long a published mapping
version takes to reach ${integer.format(DEFAULTS.followers)} subscribed smart clients; about 3 minutes on 2 cores with
the defaults (${DEFAULTS.rounds} rounds). Goal (issue #4): p99 < ${integer.format(GOAL_P99_MS)} ms. No Kafka is started.

- Management: the real service (\`startManagement\` from apps/management) in the bench's process,
  on a fresh PGlite database, with a registry of ${s.fronting.low + s.fronting.medium + s.fronting.high + s.consumerClusters} clusters (${s.fronting.low} low, ${s.fronting.medium} medium and
  ${s.fronting.high} high fronting, ${s.consumerClusters} consumer) and ${integer.format(s.topics)} topics, each written to the fronting cluster of its
  tier and read from one consumer cluster (every fifth from two): the document each version
  carries is that of a mid-sized fleet (its size is in each entry).
- Followers: \`liveMappingSource({ url })\` from @flotilla/client, default timeouts, each with its
  own SSE connection, spread over ${FOLLOWER_PROCESSES} child processes so the publishing process does not also
  parse every copy. Every follower follows both servers (two sources), so both are measured
  with the same processes in the same run.
- A round: one topic's producers move to another cluster of its tier (\`placements.set\`, not
  timed), then \`mapping.publish\` through the tRPC API with the admin token; the clock starts
  before the call and stops, per follower, when its listener's \`onMapping\` sees the version
  (wall clock, shared by the processes). Then the peer, \`startMappingServer\`'s \`publish()\`, gets
  the very document management published, timed the same way. ${SETTLE_MS} ms pause after each; one
  unmeasured round first.
- p50 / p99 / max over every follower × version; *first has it* and *all have it* are when the
  first and the last follower had the version (median over rounds; for the last, also the worst
  round); *publish call* is the median duration of the publish call itself. A version
  a follower did not have within ${ROUND_TIMEOUT_MS / 1000} s counts as *missed*; *warnings* are the followers' own
  (lost streams, reconnects, rejected versions).
- Caveat: ${integer.format(DEFAULTS.followers / FOLLOWER_PROCESSES)} followers share one process, so each version is parsed and
  compiled ${integer.format(DEFAULTS.followers / FOLLOWER_PROCESSES)} times in a row there: the tail includes that queue (the entry gives one
  parse's cost), which a fleet of separate clients would not have. The ratio to the peer is what
  management itself adds. \`--quick\` runs (${QUICK.followers} followers) are not recorded.
`;
}

function resultsEntry(machine: MachineInfo, options: Options, facts: RunFacts, table: string, notes: readonly string[]): string {
  const s = BENCH_REGISTRY;
  const busy = facts.load.before > machine.cpus / 2 || facts.load.after > machine.cpus;
  return `
## ${SCENARIO} — ${machine.date}

- machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM; Node ${machine.node}
- load average (1 min) before the run ${facts.load.before.toFixed(2)}, at its end ${facts.load.after.toFixed(2)}${busy ? ': other processes on the machine share its CPUs' : ''}
- registry: ${facts.registry.clusterCount} clusters, ${integer.format(facts.registry.topics.length)} topics (${integer.format(s.topics)} producer and ${integer.format(facts.consumerPlacements)} consumer placements), written in ${ms(facts.buildMs)}; PGlite
- document: ${integer.format(facts.documentBytes)} bytes of JSON per version (${(facts.documentBytes / 1024).toFixed(0)} KiB); parse + validate + compile by one follower ${ms(facts.parseMs)} (median)
- followers: ${options.mode === 'stream' ? 'raw SSE streams (a whole mapping event received = delivered; a real client then spends its own few ms parsing it)' : 'smart-client liveMappingSources (parse + compile in the follower process)'}, ${integer.format(options.followers)} per server in ${FOLLOWER_PROCESSES} processes (${integer.format(options.followers / FOLLOWER_PROCESSES)} each, following both servers: ${integer.format(2 * options.followers)} streams); all started in ${ms(facts.followerStartMs)}; largest follower process ${integer.format(facts.followerRssMiB)} MiB resident
- rounds: ${options.rounds} per server after one unmeasured; ${SETTLE_MS} ms pause after each publish's last delivery

${table}

${notes.map((n) => `- ${n}`).join('\n')}
`;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const machine = await machineInfo();
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > machine.cpus / 2) progress(`load average is ${loadBefore.toFixed(2)} on ${machine.cpus} CPUs: other processes will make the figures noisy`);
  const root = await mkdtemp(join(tmpdir(), 'flotilla-bench-mapping-'));
  let management: RunningManagement | undefined;
  let peer: MappingServer | undefined;
  let fleet: FollowerFleet | undefined;
  const results = new Map<string, ServerResult>();
  let facts: RunFacts;
  try {
    const config = managementConfigSchema.parse({
      // The schema wants a real port; the start below asks for a free one instead.
      MANAGEMENT_PORT: '1',
      FLOTILLA_DB_DIR: join(root, 'db'),
      FLOTILLA_ADMIN_TOKEN_FILE: join(root, 'admin-token'),
      LOG_LEVEL: 'warn',
    });
    const logger = createLogger({ service: 'bench-mapping', level: config.LOG_LEVEL, destination: process.stderr });
    progress('starting management (PGlite in a temporary directory)');
    management = await startManagement({ ...config, MANAGEMENT_PORT: 0 }, logger);
    const running = management;
    const db = running.services.db;

    const building = performance.now();
    const registry = await buildBenchRegistry(db);
    const buildMs = performance.now() - building;
    const consumerPlacements = BENCH_REGISTRY.topics + Math.ceil(BENCH_REGISTRY.topics / 5);
    progress(`registry: ${registry.clusterCount} clusters, ${registry.topics.length} topics in ${ms(buildMs)}`);

    const admin = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${running.url}/trpc`, headers: () => ({ authorization: `Bearer ${running.adminToken}` }) })],
    });
    const { version: first } = await admin.mapping.publish.mutate({ reason: 'bench: initial version' });
    const current = (): { version: number; document: object } => {
      const head = running.services.mappingFeed.current();
      if (head === undefined) throw new Error('management has no current mapping version after a publish');
      return head;
    };
    peer = await startMappingServer();
    const published = peer.publish(current().document);
    const documentBytes = Buffer.byteLength(published.raw);
    const parseMs = parseAndCompileMs(published.raw);
    progress(`version ${first}: ${integer.format(documentBytes)} bytes of JSON; one follower's parse + compile ${ms(parseMs)}`);

    progress(`starting ${options.followers} followers per server in ${FOLLOWER_PROCESSES} processes`);
    const followerStart = performance.now();
    fleet = await startFollowerFleet({
      processes: FOLLOWER_PROCESSES,
      followersPerProcess: options.followers / FOLLOWER_PROCESSES,
      mode: options.mode,
      targets: [
        { name: MANAGEMENT, url: running.url },
        { name: PEER, url: peer.url },
      ],
    });
    progress(`followers ready in ${ms(performance.now() - followerStart)} (${running.services.mappingFeed.listenerCount()} management streams, ${peer.streamCount()} peer streams)`);

    const measured = new Map<string, Measured>([
      [MANAGEMENT, newMeasured()],
      [PEER, newMeasured()],
    ]);
    const followers = fleet;
    const mappingServer = peer;
    for (let round = 0; round <= options.rounds; round++) {
      const warmUp = round === 0;
      await moveProducers(db, registry, round);
      let version = 0;
      await timeRound(
        followers,
        MANAGEMENT,
        current().version + 1,
        async () => {
          ({ version } = await admin.mapping.publish.mutate({ reason: `bench: round ${round}` }));
        },
        warmUp ? undefined : measured.get(MANAGEMENT),
      );
      const head = current();
      if (head.version !== version) throw new Error(`published version ${version} but management's current is ${head.version}: another writer?`);
      await timeRound(followers, PEER, version, async () => void mappingServer.publish(head.document), warmUp ? undefined : measured.get(PEER));
    }
    for (const [name, m] of measured) results.set(name, { ...m, summary: summarizeLatencies(m.latencies), warnings: followers.warnings(name) });
    facts = {
      documentBytes,
      parseMs,
      registry,
      consumerPlacements,
      buildMs,
      followerStartMs: followers.startMs,
      followerRssMiB: followers.rssMiB(),
      load: { before: loadBefore, after: loadavg()[0] ?? 0 },
    };
  } finally {
    await fleet?.stop();
    await peer?.stop();
    await management?.stop();
    await rm(root, { recursive: true, force: true });
  }

  const { table, notes, current } = tables(results, options, facts.parseMs);
  console.log(`${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}`);
  console.log(`- document ${integer.format(facts.documentBytes)} bytes of JSON per version`);
  if (options.record) {
    recordResult(RESULTS_PATH, { scenario: SCENARIO, description: scenarioDescription(), entry: resultsEntry(machine, options, facts, table, notes), date: machine.date, current });
    progress(`recorded in ${RESULTS_PATH}`);
  } else {
    progress(options.quick ? '--quick: not recorded' : '--no-record: not recorded');
  }
  return 0;
}

runBenchMain(main, USAGE);
