// A follower process of the mapping benchmark: many smart-client live mapping sources in one
// Node process, each with its own SSE connection, recording when each one's listener saw each
// version. Started by mapping-followers.ts with fork(); exits when told or when the parent goes.
import { liveMappingSource, type MappingSource } from '@flotilla/client';
import { wallClockMs, type FollowTarget, type FromFollowers, type ToFollowers } from './mapping-follower-protocol';

/** Starts at a time: 500 sources connecting and parsing their first document at once would time out. */
const START_BATCH = 25;
/** Generous: the first document of every source is parsed in this one process during start-up. */
const START_TIMEOUT_MS = 120_000;

const sources: MappingSource[] = [];
/** target → version → arrival times; a version leaves once it is reported. */
const arrivals = new Map<string, Map<number, number[]>>();
const reported = new Map<string, Set<number>>();
let followers = 0;
let measuring = false;

function send(message: FromFollowers): void {
  process.send?.(message);
}

function rssMiB(): number {
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}

function report(target: string, version: number): void {
  const times = arrivals.get(target)?.get(version) ?? [];
  arrivals.get(target)?.delete(version);
  reported.get(target)?.add(version);
  send({ type: 'delivered', target, version, times, rssMiB: rssMiB() });
}

function arrived(target: string, version: number): void {
  const at = wallClockMs();
  if (!measuring || reported.get(target)?.has(version) === true) return;
  const byVersion = arrivals.get(target);
  if (byVersion === undefined) return;
  let times = byVersion.get(version);
  if (times === undefined) byVersion.set(version, (times = []));
  times.push(at);
  if (times.length === followers) report(target, version);
}

async function start(targets: readonly FollowTarget[], count: number): Promise<void> {
  const began = wallClockMs();
  followers = count;
  for (const target of targets) {
    arrivals.set(target.name, new Map());
    reported.set(target.name, new Set());
    for (let first = 0; first < count; first += START_BATCH) {
      const batch = Array.from({ length: Math.min(START_BATCH, count - first) }, () => {
        const source = liveMappingSource({
          url: target.url,
          startTimeoutMs: START_TIMEOUT_MS,
          onWarning: (error) => send({ type: 'warning', target: target.name, message: error.message }),
        });
        sources.push(source);
        return source.start({
          onMapping: (mapping) => arrived(target.name, mapping.version),
          onRejected: (error) => send({ type: 'warning', target: target.name, message: `rejected a version: ${error.message}` }),
        });
      });
      await Promise.all(batch);
    }
  }
  measuring = true;
  send({ type: 'ready', followers: count, startMs: wallClockMs() - began, rssMiB: rssMiB() });
}

async function stop(): Promise<void> {
  measuring = false;
  await Promise.all(sources.map((source) => source.stop()));
  // Exit only once the parent has the message: exiting first could drop it from the channel.
  process.send?.({ type: 'stopped' } satisfies FromFollowers, () => process.exit(0));
}

process.on('message', (message: ToFollowers) => {
  if (message.type === 'start') {
    start(message.targets, message.followers).catch((error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    });
  } else if (message.type === 'report') {
    report(message.target, message.version);
  } else {
    stop().catch(() => process.exit(1));
  }
});
// Orphaned by a parent that crashed: nothing to report to, so leave at once.
process.on('disconnect', () => process.exit(0));
