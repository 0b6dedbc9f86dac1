// A follower process of the mapping benchmark: many smart-client live mapping sources in one
// Node process, each with its own SSE connection, recording when each one's listener saw each
// version. Started by mapping-followers.ts with fork(); exits when told or when the parent goes.
import { request } from 'node:http';
import { liveMappingSource, type MappingSource } from '@flotilla/client';
import { wallClockMs, type FollowerMode, type FollowTarget, type FromFollowers, type ToFollowers } from './mapping-follower-protocol';

interface Follower {
  stop(): Promise<void>;
}

/**
 * One raw SSE connection to `<url>/v1/mapping/stream`: calls `onVersion` when a `mapping` event
 * has fully arrived (its terminating blank line), reading only the `id:` line of it.
 */
function streamFollower(url: string, onVersion: (version: number) => void): Promise<Follower> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/mapping/stream`, { headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`stream answered ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      let buffered = '';
      let first = true;
      res.on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(event.slice(0, 40));
          if (id?.[1] !== undefined && event.includes('\nevent: mapping')) {
            onVersion(Number(id[1]));
            if (first) {
              first = false;
              resolve({ stop: async () => void req.destroy() });
            }
          }
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts at a time: 500 sources connecting and parsing their first document at once would time out. */
const START_BATCH = 25;
/** Generous: the first document of every source is parsed in this one process during start-up. */
const START_TIMEOUT_MS = 120_000;

const sources: (MappingSource | Follower)[] = [];
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

async function start(targets: readonly FollowTarget[], count: number, mode: FollowerMode): Promise<void> {
  const began = wallClockMs();
  followers = count;
  for (const target of targets) {
    arrivals.set(target.name, new Map());
    reported.set(target.name, new Set());
    for (let first = 0; first < count; first += START_BATCH) {
      const batch = Array.from({ length: Math.min(START_BATCH, count - first) }, async () => {
        if (mode === 'stream') {
          sources.push(await streamFollower(target.url, (version) => arrived(target.name, version)));
          return;
        }
        const source = liveMappingSource({
          url: target.url,
          startTimeoutMs: START_TIMEOUT_MS,
          onWarning: (error) => send({ type: 'warning', target: target.name, message: error.message }),
        });
        sources.push(source);
        await source.start({
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
    start(message.targets, message.followers, message.mode).catch((error: unknown) => {
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
