// Operations from the terminal: start a move and follow it live (a progress line on a terminal,
// one JSON object per change otherwise), look at one, pause, resume or abort it.
import { setTimeout as sleep } from 'node:timers/promises';
import { arg, intFlag, UsageError, type Api, type CommandGroup, type Flags } from '../command';
import { emit, table, type Output } from '../output';

type Status = Awaited<ReturnType<Api['operations']['status']['query']>>;
type MoveView = NonNullable<Status['progress']>;

const stepNames = ['create-target', 'consumers-read-both', 'producers-to-target', 'wait-producers', 'retain-source', 'consumers-target-only', 'done'];

/** "3h 59m" from milliseconds: how long a tail still keeps a source readable. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

function describeTail(p: MoveView, now: number): string {
  const tail = p.tail;
  if (!tail || p.phase !== 'tail') return '';
  const release = tail.releaseWhenDrained ? `; early release asked: ${tail.blockedBy ?? 'drained'}` : '';
  const stale = tail.groups.filter((g) => g.stale).map((g) => g.group);
  return `, source readable ${duration(tail.readableUntil - now)} more (until ${new Date(tail.readableUntil).toISOString()})${release}${stale.length > 0 ? `; stale groups (not waited for): ${stale.join(', ')}` : ''}`;
}

function describeMove(p: MoveView, now: number): string {
  const index = Math.max(0, stepNames.indexOf(p.step));
  const width = 20;
  const filled = Math.round((index / (stepNames.length - 1)) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const lag = Object.values(p.lag).reduce((sum, n) => sum + n, 0);
  return `${bar} ${p.phase}: ${p.step} (${p.state}) producers ${p.producers.switched}/${p.producers.total}${p.producers.fenced ? ' fenced' : ''}${p.tail?.releaseWhenDrained ? ` lag ${lag}` : ''} mapping v${p.mappingVersion ?? '-'}${describeTail(p, now)}${p.abortPending ? `; abort pending: ${p.abortPending}` : ''}`;
}

function describeProgress(status: Status, now = Date.now()): string {
  const c = status.clusterProgress;
  if (c) {
    if (c.kind === 'cluster-failover') {
      const until = Object.values(c.readableUntil);
      const tail = c.phase === 'tail' && until.length > 0 ? `, ${c.cluster} readable ${duration(Math.max(...until) - now)} more at most` : '';
      const blocked = Object.entries(c.blockedBy).map(([topic, why]) => `${topic}: ${why}`);
      return `cluster-failover ${c.cluster}: ${c.phase}: ${c.step} (${c.state}), topics switched ${c.topics.switched}/${c.topics.total}, released ${c.topics.released}, cluster ${c.returned === true ? 'answers' : c.returned === false ? 'does not answer' : 'not probed yet'}${tail}${c.fenced.length > 0 ? `, fenced: ${c.fenced.join(',')}` : ''}${blocked.length > 0 ? `; early release waits: ${blocked.join('; ')}` : ''}${c.abortPending ? `; abort pending: ${c.abortPending}` : ''}${Object.keys(c.failed).length > 0 ? `, failed: ${Object.keys(c.failed).join(',')}` : ''}`;
    }
    return `${c.kind} ${c.cluster}: ${c.phase}: ${c.step} (${c.state}), producers moved ${c.topics.moved}/${c.topics.total}, moves completed ${c.topics.completed}${c.running.length > 0 ? `, moving: ${c.running.join(',')}` : ''}${Object.keys(c.failed).length > 0 ? `, failed: ${Object.keys(c.failed).join(',')}` : ''}`;
  }
  const e = status.expandProgress;
  if (e) return `topic-expand: ${e.phase}: ${e.step} (${e.state})`;
  const p = status.progress;
  return p ? describeMove(p, now) : status.status;
}

function describeChildren(status: Status, now = Date.now()): string[] {
  return status.children.map((child) => `  ${child.workflowId}: ${child.progress ? describeMove(child.progress, now) : child.status}${child.error ? ` (${child.error})` : ''}`);
}

function phaseOf(status: Status): string | undefined {
  return (status.progress ?? status.expandProgress ?? status.clusterProgress)?.phase;
}

/**
 * Polls the operation until its active part is done (producers switched; the tail that keeps the
 * source readable goes on in Temporal), or to its very end with `wait`. `--json` prints each
 * change as one line for scripts.
 */
export async function follow(api: Api, out: Output, workflowId: string, isTerminal: boolean, wait = false): Promise<number> {
  let last = '';
  for (;;) {
    const status = await api.operations.status.query({ workflowId });
    const line = out.json
      ? JSON.stringify({ workflowId, status: status.status, progress: status.progress ?? status.expandProgress ?? status.clusterProgress ?? null })
      : describeProgress(status).replace(/ \d+h \d+m more| \d+m \d+s more| \d+s more/, ' … more');
    if (line !== last) {
      if (isTerminal && !out.json) process.stdout.write(`\r\x1b[2K${line}`);
      else out.write(line);
      last = line;
    }
    const activeDone = status.status === 'running' && phaseOf(status) === 'tail' && status.operation.state === 'running' && !wait;
    if (status.status !== 'running' || activeDone) {
      if (isTerminal && !out.json) process.stdout.write('\n');
      if (!out.json) {
        if (activeDone) {
          out.write(`active part done: ${describeProgress(status)}`);
          out.write(`the operation goes on in Temporal until the source is released; follow it with: flotilla operations status ${workflowId} --follow --wait`);
        } else out.write(status.status === 'failed' ? `failed: ${status.error ?? 'unknown error'}` : `${status.status}`);
      }
      if (activeDone) return aborting(status) ? 1 : 0;
      return status.status === 'completed' ? 0 : 1;
    }
    await sleep(500);
  }
}

function aborting(status: Status): boolean {
  const state = (status.progress ?? status.expandProgress ?? status.clusterProgress)?.state;
  return state === 'aborting' || state === 'aborted';
}

const tailOptions = {
  'release-source-when-drained': { type: 'boolean' },
  'stale-group-ms': { type: 'string' },
  wait: { type: 'boolean' },
  detach: { type: 'boolean' },
} as const;

function tailInput(flags: Flags): { releaseWhenDrained?: boolean; staleGroupMs?: number } {
  const stale = intFlag(flags, 'stale-group-ms');
  return {
    ...(flags['release-source-when-drained'] === true ? { releaseWhenDrained: true } : {}),
    ...(stale === undefined ? {} : { staleGroupMs: stale }),
  };
}

async function followOrDetach(api: Api, out: Output, flags: Flags, started: { workflowId: string }): Promise<number> {
  if (flags['detach'] === true) {
    if (out.json) out.write(JSON.stringify(started));
    return 0;
  }
  return follow(api, out, started.workflowId, process.stdout.isTTY === true, flags['wait'] === true);
}

export const moveSemantics = `A move never deletes a record a consumer could still read. Its active part creates the topic on
the target, makes consumers read both clusters, switches producers to the target and waits until
every producer reports the new mapping (a straggler is fenced on the source after
--switch-timeout-ms). The command returns then. The tail goes on in Temporal: the source stays on
the consumer side until the topic's retention has passed since producers left it, so a consumer
group created later still reads every record from the beginning; then consumers read the target
only and the source topic is deleted (kept with --keep-source). With
--release-source-when-drained the source goes earlier, but only once at least one live consumer
group exists and every live group has read it to the end; a group with no members and no commit
for --stale-group-ms (15 minutes) is reported and not waited for. A keyed topic keeps per-key
order: consumers read each target partition only after the source partition up to its seal, for
as long as the source is readable. --wait follows the tail to its end; \`flotilla operations
release <id>\` asks an early release of a running move.`;

export const topicMove = {
  usage: '<topic> --to <cluster> [--switch-timeout-ms ms] [--release-source-when-drained] [--stale-group-ms ms] [--keep-source] [--replace-stale-target] [--wait | --detach]',
  summary: 'move a topic to another cluster without copying data; returns when producers are on the target',
  details: moveSemantics,
  minArgs: 1,
  options: {
    to: { type: 'string' },
    'switch-timeout-ms': { type: 'string' },
    'keep-source': { type: 'boolean' },
    'replace-stale-target': { type: 'boolean' },
    ...tailOptions,
  },
  async run({ api, out, args, flags }) {
    const to = flags['to'];
    if (typeof to !== 'string') throw new UsageError('missing --to');
    const switchMs = intFlag(flags, 'switch-timeout-ms');
    const started = await api.operations.moveTopic.mutate({
      topic: arg(args, 0),
      to,
      ...(switchMs === undefined ? {} : { producerSwitchTimeoutMs: switchMs }),
      ...tailInput(flags),
      deleteSource: flags['keep-source'] !== true,
      replaceStaleTarget: flags['replace-stale-target'] === true,
    });
    if (!out.json) out.write(`moving ${arg(args, 0)} ${started.from} → ${started.to} (operation ${started.workflowId})`);
    return followOrDetach(api, out, flags, started);
  },
} satisfies CommandGroup[string];

export const topicExpand = {
  usage: '<topic> --partitions n [--to cluster] [--release-source-when-drained] [--keep-source] [--wait | --detach]',
  summary: 'add partitions (in place; a keyed topic moves to a placement with more, keeping per-key order)',
  details: `A topic without keys gains partitions where it is. A keyed topic moves to a new placement with
the new count (a topic move; see \`flotilla topics move --help\`): the old placement stays readable
for the topic's retention, so nothing is lost, and per-key order holds.`,
  minArgs: 1,
  options: { partitions: { type: 'string' }, to: { type: 'string' }, 'keep-source': { type: 'boolean' }, ...tailOptions },
  async run({ api, out, args, flags }) {
    const partitions = intFlag(flags, 'partitions');
    if (partitions === undefined) throw new UsageError('missing --partitions');
    const to = flags['to'];
    const started = await api.operations.expandTopic.mutate({
      topic: arg(args, 0),
      partitions,
      ...(typeof to === 'string' ? { to } : {}),
      ...tailInput(flags),
      deleteSource: flags['keep-source'] !== true,
    });
    if (!out.json) out.write(`expanding ${arg(args, 0)} to ${started.partitions} partitions${started.keyed ? ' by a keyed move' : ''} (operation ${started.workflowId})`);
    return followOrDetach(api, out, flags, started);
  },
} satisfies CommandGroup[string];

export const operations: CommandGroup = {
  list: {
    usage: '[--subject topic-or-cluster]',
    summary: 'operations started through management',
    options: { subject: { type: 'string' } },
    async run({ api, out, flags }) {
      const subject = flags['subject'];
      const rows = await api.operations.list.query(typeof subject === 'string' ? { subject } : {});
      emit(out, rows, () => table(['operation', 'kind', 'subject', 'state', 'started by', 'started'], rows.map((o) => [o.workflowId, o.kind, o.subject, o.state, o.startedBy, o.createdAt])));
    },
  },
  status: {
    usage: '<operation-id> [--follow [--wait]]',
    summary: 'where an operation is: phase, step, producers switched, how long its source stays readable, its child moves',
    minArgs: 1,
    options: { follow: { type: 'boolean' }, wait: { type: 'boolean' } },
    async run({ api, out, args, flags }) {
      if (flags['follow'] === true) return follow(api, out, arg(args, 0), process.stdout.isTTY === true, flags['wait'] === true);
      const status = await api.operations.status.query({ workflowId: arg(args, 0) });
      emit(out, status, () => [`${status.operation.workflowId}: ${describeProgress(status)}${status.error ? `\nerror: ${status.error}` : ''}`, ...describeChildren(status)].join('\n'));
      return 0;
    },
  },
  ...Object.fromEntries(
    (['pause', 'resume', 'abort', 'release'] as const).map((signal) => [
      signal,
      {
        usage: '<operation-id>',
        summary: {
          pause: 'pause an operation at its next step (a parent pauses its child moves too)',
          resume: 'resume a paused operation',
          abort: 'abort: send producers back where they were, losing nothing (a parent aborts its child moves too)',
          release: 'ask a running operation to release its source early, once every live consumer group has read it to the end',
        }[signal],
        minArgs: 1,
        async run({ api, out, args }) {
          const result = await api.operations.signal.mutate({ workflowId: arg(args, 0), signal });
          emit(out, result, () => `sent ${signal} to ${result.workflowId}; see it take effect with: flotilla operations status ${result.workflowId}`);
        },
      },
    ]),
  ),
};

function clusterOperation(verb: 'failover' | 'failback' | 'drain', summary: string): CommandGroup[string] {
  return {
    usage: `<cluster>${verb === 'failover' ? ' [--force]' : ''} [--release-source-when-drained] [--wait | --detach]`,
    summary,
    details: {
      failover: `Producers of every topic on the cluster switch to a standby of the same role and tier (refused
when there is none, or when none has room unless --force); consumers read both. The command
returns then. The failed cluster stays on the consumer side until each topic's retention has
passed since producers left it, so every record it acknowledged before failing can be read
once it returns, by a consumer group created then too; then it leaves the consumer side and
its expired copy is deleted. Abort sends traffic back to the cluster (once it answers) by
topic moves. Fail back once the failover ended.`,
      failback: 'Moves every topic the last failover sent away back to the cluster (topic moves: see `flotilla topics move --help`), then marks it active once producers are home. Each standby stays readable for the topic\'s retention.',
      drain: 'Moves every topic off the cluster (topic moves, a few at a time: see `flotilla topics move --help`). The cluster is retired once every move released its source there, i.e. it holds nothing readable.',
    }[verb],
    minArgs: 1,
    options: { ...tailOptions, ...(verb === 'failover' ? { force: { type: 'boolean' } } : {}) },
    async run({ api, out, args, flags }) {
      const cluster = arg(args, 0);
      const tail = tailInput(flags);
      const started =
        verb === 'failover'
          ? await api.operations.failoverCluster.mutate({ cluster, ...tail, ...(flags['force'] === true ? { force: true } : {}) })
          : verb === 'failback'
            ? await api.operations.failbackCluster.mutate({ cluster, ...tail })
            : await api.operations.drainCluster.mutate({ cluster, ...tail });
      if (!out.json) out.write(`${verb} of ${cluster} started (operation ${started.workflowId})`);
      return followOrDetach(api, out, flags, started);
    },
  };
}

export const clusterOperations: CommandGroup = {
  failover: clusterOperation('failover', 'mark a cluster failed and switch its producers to standbys of the same tier; it stays readable for its topics’ retention'),
  failback: clusterOperation('failback', 'move the topics of a failed-over cluster back (topic moves), then mark it active'),
  drain: clusterOperation('drain', 'move every topic off a cluster (a few at a time), then retire it once it holds nothing readable'),
};
