// Operations from the terminal: start a move and follow it live (a progress line on a terminal,
// one JSON object per change otherwise), look at one, pause, resume or abort it.
import { arg, intFlag, UsageError, type Api, type CommandGroup } from '../command';
import { emit, table, type Output } from '../output';

type Status = Awaited<ReturnType<Api['operations']['status']['query']>>;

const stepNames = ['create-target', 'consumers-read-both', 'producers-to-target', 'wait-producers', 'wait-drain', 'consumers-target-only', 'done'];

function describeProgress(status: Status): string {
  const c = status.clusterProgress;
  if (c) {
    const done = c.kind === 'cluster-failover' ? c.topics.switched : c.topics.moved;
    return `${c.kind} ${c.cluster}: ${c.step}, topics ${done}/${c.topics.total}${Object.keys(c.failed).length > 0 ? `, failed: ${Object.keys(c.failed).join(',')}` : ''}`;
  }
  const p = status.progress;
  if (!p) return status.status;
  const index = Math.max(0, stepNames.indexOf(p.step));
  const width = 20;
  const filled = Math.round((index / (stepNames.length - 1)) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const lag = Object.values(p.lag).reduce((sum, n) => sum + n, 0);
  return `${bar} ${p.step} (${p.state}) producers ${p.producers.switched}/${p.producers.total}${p.producers.fenced ? ' fenced' : ''} lag ${lag} mapping v${p.mappingVersion ?? '-'}`;
}

/** Polls the operation until it ends; `--json` prints each change as one line for scripts. */
export async function follow(api: Api, out: Output, workflowId: string, isTerminal: boolean): Promise<number> {
  let last = '';
  for (;;) {
    const status = await api.operations.status.query({ workflowId });
    const line = out.json ? JSON.stringify({ workflowId, status: status.status, progress: status.progress ?? status.clusterProgress ?? null }) : describeProgress(status);
    if (line !== last) {
      if (isTerminal && !out.json) process.stdout.write(`\r\x1b[2K${line}`);
      else out.write(line);
      last = line;
    }
    if (status.status !== 'running') {
      if (isTerminal && !out.json) process.stdout.write('\n');
      if (!out.json) out.write(status.status === 'failed' ? `failed: ${status.error ?? 'unknown error'}` : `${status.status}`);
      return status.status === 'completed' ? 0 : 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export const topicMove = {
  usage: '<topic> --to <cluster> [--switch-timeout-ms ms] [--drain-timeout-ms ms] [--keep-source] [--detach]',
  summary: 'move a topic to another cluster without copying data, following its progress',
  minArgs: 1,
  options: {
    to: { type: 'string' },
    'switch-timeout-ms': { type: 'string' },
    'drain-timeout-ms': { type: 'string' },
    'keep-source': { type: 'boolean' },
    detach: { type: 'boolean' },
  },
  async run({ api, out, args, flags }) {
    const to = flags['to'];
    if (typeof to !== 'string') throw new UsageError('missing --to');
    const switchMs = intFlag(flags, 'switch-timeout-ms');
    const drainMs = intFlag(flags, 'drain-timeout-ms');
    const started = await api.operations.moveTopic.mutate({
      topic: arg(args, 0),
      to,
      ...(switchMs === undefined ? {} : { producerSwitchTimeoutMs: switchMs }),
      ...(drainMs === undefined ? {} : { drainTimeoutMs: drainMs }),
      deleteSource: flags['keep-source'] !== true,
    });
    if (!out.json) out.write(`moving ${arg(args, 0)} ${started.from} → ${started.to} (operation ${started.workflowId})`);
    if (flags['detach'] === true) {
      if (out.json) out.write(JSON.stringify(started));
      return 0;
    }
    return follow(api, out, started.workflowId, process.stdout.isTTY === true);
  },
} satisfies CommandGroup[string];

export const topicExpand = {
  usage: '<topic> --partitions n [--to cluster] [--detach]',
  summary: 'add partitions (in place; a keyed topic moves to a placement with more, keeping per-key order)',
  minArgs: 1,
  options: { partitions: { type: 'string' }, to: { type: 'string' }, detach: { type: 'boolean' } },
  async run({ api, out, args, flags }) {
    const partitions = intFlag(flags, 'partitions');
    if (partitions === undefined) throw new UsageError('missing --partitions');
    const to = flags['to'];
    const started = await api.operations.expandTopic.mutate({ topic: arg(args, 0), partitions, ...(typeof to === 'string' ? { to } : {}) });
    if (!out.json) out.write(`expanding ${arg(args, 0)} to ${started.partitions} partitions${started.keyed ? ' by a keyed move' : ''} (operation ${started.workflowId})`);
    if (flags['detach'] === true) {
      if (out.json) out.write(JSON.stringify(started));
      return 0;
    }
    return follow(api, out, started.workflowId, process.stdout.isTTY === true);
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
    usage: '<operation-id> [--follow]',
    summary: 'where an operation is (step, producers switched, lag)',
    minArgs: 1,
    options: { follow: { type: 'boolean' } },
    async run({ api, out, args, flags }) {
      if (flags['follow'] === true) return follow(api, out, arg(args, 0), process.stdout.isTTY === true);
      const status = await api.operations.status.query({ workflowId: arg(args, 0) });
      emit(out, status, () => `${status.operation.workflowId}: ${describeProgress(status)}${status.error ? `\nerror: ${status.error}` : ''}`);
      return 0;
    },
  },
  ...Object.fromEntries(
    (['pause', 'resume', 'abort'] as const).map((signal) => [
      signal,
      {
        usage: '<operation-id>',
        summary: signal === 'abort' ? 'abort: put the mapping back on the source, losing nothing' : `${signal} an operation at its next step`,
        minArgs: 1,
        async run({ api, out, args }) {
          const result = await api.operations.signal.mutate({ workflowId: arg(args, 0), signal });
          emit(out, result, () => `sent ${signal} to ${result.workflowId}`);
        },
      },
    ]),
  ),
};

function clusterOperation(verb: 'failover' | 'failback' | 'drain', summary: string): CommandGroup[string] {
  return {
    usage: '<cluster> [--detach]',
    summary,
    minArgs: 1,
    options: { detach: { type: 'boolean' } },
    async run({ api, out, args, flags }) {
      const cluster = arg(args, 0);
      const started =
        verb === 'failover'
          ? await api.operations.failoverCluster.mutate({ cluster })
          : verb === 'failback'
            ? await api.operations.failbackCluster.mutate({ cluster })
            : await api.operations.drainCluster.mutate({ cluster });
      if (!out.json) out.write(`${verb} of ${cluster} started (operation ${started.workflowId})`);
      if (flags['detach'] === true) {
        if (out.json) out.write(JSON.stringify(started));
        return 0;
      }
      return follow(api, out, started.workflowId, process.stdout.isTTY === true);
    },
  };
}

export const clusterOperations: CommandGroup = {
  failover: clusterOperation('failover', 'mark a cluster failed and switch its producers to standbys of the same tier; consumers drain it when it returns'),
  failback: clusterOperation('failback', 'move the topics of a failed-over cluster back (topic moves), then mark it active'),
  drain: clusterOperation('drain', 'move every topic off a cluster (a few at a time), then retire it'),
};
