// The client bench's latency part: each contender that can (the smart client and its library)
// sends one record per send call at a fixed rate, open loop, for a few seconds per round; rounds
// alternate which of the pair goes first. The goal is judged on the per-round difference of p99s.
import { randomBytes } from 'node:crypto';
import type { KafkaAdmin } from '@flotilla/kafka';
import { checkTopicHolds, contenderOf, dropTopics, kindsIn, roundOrder, slug, type Contender } from './client-contenders';
import { LINGER_MS } from './client-under-test';
import { summarizeLatencies } from './latency-percentiles';
import type { LatencySample } from './paced-sends';
import { judgePaired, type PairedJudgement } from './paired-verdict';

/** Records per second every contender is paced at: a steady trickle, far below any of them's throughput. */
export const ACK_LATENCY_RATE = 1_000;
export const ACK_LATENCY_RECORD_BYTES = 100;
/** An unmeasured paced run per contender first: the JIT and the broker's code paths for small requests. */
const WARM_UP_RECORDS = 2_000;
const PARTITIONS = 3;

export interface AckLatencyPlan {
  rounds: number;
  /** Records per contender and round: seconds × ACK_LATENCY_RATE. */
  records: number;
}

export interface AckLatencySamples {
  rounds: Map<Contender, LatencySample[]>;
  errors: Map<Contender, string>;
}

interface Context {
  bootstrap: readonly string[];
  admin: KafkaAdmin;
  progress: (line: string) => void;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : '-');
const errorLine = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function runAckLatency(ctx: Context, all: readonly Contender[], plan: AckLatencyPlan): Promise<AckLatencySamples> {
  const timed = all.filter((c) => c.client.ackLatency !== undefined);
  const samples: AckLatencySamples = { rounds: new Map(timed.map((c) => [c, []])), errors: new Map() };
  const payload = randomBytes(ACK_LATENCY_RECORD_BYTES);
  const paced = async (c: Contender, topic: string, records: number): Promise<LatencySample> => {
    await ctx.admin.ensureTopic({ topic, partitions: PARTITIONS, replicationFactor: 1 });
    const sample = await c.client.ackLatency!({ bootstrap: ctx.bootstrap, topic, records, ratePerSecond: ACK_LATENCY_RATE, payload });
    await checkTopicHolds(ctx.admin, topic, records + 1, c.client.name);
    return sample;
  };
  const attempt = async (c: Contender, what: string, run: () => Promise<LatencySample>): Promise<LatencySample | undefined> => {
    if (samples.errors.has(c)) return undefined;
    ctx.progress(what);
    try {
      const sample = await run();
      const s = summarizeLatencies(sample.latenciesMs);
      ctx.progress(`${what}: p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}; latest send ${ms(sample.maxLagMs)} behind schedule`);
      return sample;
    } catch (error) {
      samples.errors.set(c, errorLine(error));
      ctx.progress(`${what} FAILED: ${errorLine(error)}`);
      return undefined;
    }
  };

  const warmUpTopics = timed.map((c) => `client-latency-warmup-${slug(c)}`);
  for (const [i, c] of timed.entries()) {
    await attempt(c, `ack latency warm-up ${c.client.name} (${WARM_UP_RECORDS.toLocaleString('en-US')} records, unmeasured)`, () => paced(c, warmUpTopics[i]!, WARM_UP_RECORDS));
  }
  await dropTopics(ctx.admin, warmUpTopics, ctx.progress);
  for (let round = 0; round < plan.rounds; round++) {
    const topics: string[] = [];
    for (const c of roundOrder(timed, round)) {
      const topic = `client-latency-${slug(c)}-r${round}`;
      topics.push(topic);
      const what = `ack latency ${c.client.name} (round ${round + 1}/${plan.rounds}, ${plan.records.toLocaleString('en-US')} records at ${ACK_LATENCY_RATE.toLocaleString('en-US')}/s)`;
      const sample = await attempt(c, what, () => paced(c, topic, plan.records));
      if (sample) samples.rounds.get(c)!.push(sample);
    }
    await dropTopics(ctx.admin, topics, ctx.progress);
  }
  return samples;
}

/** One row of the latency table: a transport's smart client against its library. */
export interface AckLatencyCell {
  kind: Contender['kind'];
  lingerMs: number;
  smart: { p50: number; p99: number; maxLagMs: number };
  library: { p50: number; p99: number; maxLagMs: number; name: string };
  /** Smart p99 − library p99 per round (ms), judged against the smart client's linger. */
  judgement: PairedJudgement | undefined;
  rounds: number;
}

export function ackLatencyCells(all: readonly Contender[], samples: AckLatencySamples): { cells: AckLatencyCell[]; failures: string[] } {
  const cells: AckLatencyCell[] = [];
  const failures = [...samples.errors].map(([c, error]) => `ack latency ${c.client.name}: ${error}`);
  for (const kind of kindsIn(all)) {
    const smart = contenderOf(all, kind, 'smart');
    const library = contenderOf(all, kind, 'library');
    const smartRounds = smart ? samples.rounds.get(smart) : undefined;
    const libraryRounds = library ? samples.rounds.get(library) : undefined;
    if (!smart || !library || !smartRounds || !libraryRounds || smartRounds.length === 0 || libraryRounds.length === 0) continue;
    // p50 and p99 over every record of every round: the figure a user of this rate would see.
    const pooled = (rounds: readonly LatencySample[]) => {
      const s = summarizeLatencies(rounds.flatMap((r) => r.latenciesMs));
      return { p50: s.p50, p99: s.p99, maxLagMs: Math.max(...rounds.map((r) => r.maxLagMs)) };
    };
    const p99s = (rounds: readonly LatencySample[]) => rounds.map((r) => summarizeLatencies(r.latenciesMs).p99);
    const paired = smartRounds.length === libraryRounds.length && !samples.errors.has(smart) && !samples.errors.has(library);
    const a = p99s(smartRounds);
    const b = p99s(libraryRounds);
    cells.push({
      kind,
      lingerMs: LINGER_MS[kind],
      smart: pooled(smartRounds),
      library: { ...pooled(libraryRounds), name: library.client.name },
      judgement: paired ? judgePaired(a.map((x, i) => x - b[i]!), { atMost: LINGER_MS[kind] }) : undefined,
      rounds: Math.min(smartRounds.length, libraryRounds.length),
    });
  }
  return { cells, failures };
}

const signedMs = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;

/** `+0.31 (−0.20 – +0.85) ms`: the paired median difference of p99s and its interval. */
export function differenceCell(j: PairedJudgement | undefined): string {
  return j === undefined ? '-' : `${signedMs(j.median)} (${signedMs(j.low)} – ${signedMs(j.high)}) ms`;
}

export function ackLatencyRows(cells: readonly AckLatencyCell[]): string[][] {
  return cells.map((c) => [
    c.kind,
    `${ACK_LATENCY_RECORD_BYTES} B`,
    `${ACK_LATENCY_RATE.toLocaleString('en-US')}/s`,
    `${ms(c.smart.p50)} / ${ms(c.smart.p99)}`,
    `${ms(c.library.p50)} / ${ms(c.library.p99)}`,
    differenceCell(c.judgement),
    `≤ +${c.lingerMs} ms`,
    `${ms(c.smart.maxLagMs)} / ${ms(c.library.maxLagMs)}`,
  ]);
}

export const ACK_LATENCY_HEADER = [
  'client',
  'record',
  'rate',
  'smart p50 / p99',
  'library p50 / p99',
  'smart p99 − library p99: paired median (interval)',
  'goal (smart linger)',
  'latest send behind schedule (smart / library)',
];

export function ackLatencyVerdict(c: AckLatencyCell): string {
  const row = `${c.kind} acknowledgement latency`;
  const j = c.judgement;
  if (j === undefined) return `not judged: ${row} (the smart client and the library do not have the same rounds)`;
  const goal = `p99 at most the library's + ${c.lingerMs} ms (the smart client's linger)`;
  const figures = `smart p99 ${ms(c.smart.p99)}, ${c.library.name} ${ms(c.library.p99)}; paired difference ${differenceCell(j)}`;
  switch (j.verdict) {
    case 'met':
      return `meets the goal of ${goal}: ${row} (${figures})`;
    case 'missed':
      return `misses the goal of ${goal}: ${row} (${figures})`;
    case 'not decided':
      return `not decided against the goal of ${goal}, which lies within the interval: ${row} (${figures}); more rounds narrow it`;
    case 'not judged':
      return `not judged against the goal of ${goal}: ${row} (${figures}); ${c.rounds} round(s) are too few for an interval (it covers ${(j.coverage * 100).toFixed(1)}%)`;
  }
}
