import { arg, intFlag, listFlag, requiredFlag, stringFlag, UsageError, type CommandGroup } from '../command';
import { emit, fields, table } from '../output';

const states = ['active', 'draining', 'failed', 'retired'] as const;

export const clusters: CommandGroup = {
  add: {
    usage: '<name> --role fronting|consumer [--tier low|medium|high] --bootstrap host:port[,host:port] [--sasl-bootstrap host:port[,...]] [--zone z] [--capacity bytes/s] [--brokers n]',
    summary: 'register a cluster (it must answer; its brokers are counted)',
    minArgs: 1,
    options: { role: { type: 'string' }, tier: { type: 'string' }, bootstrap: { type: 'string' }, 'sasl-bootstrap': { type: 'string' }, zone: { type: 'string' }, capacity: { type: 'string' }, brokers: { type: 'string' } },
    async run({ api, out, args, flags }) {
      const role = requiredFlag(flags, 'role');
      if (role !== 'fronting' && role !== 'consumer') throw new UsageError(`--role: expected fronting or consumer, got "${role}"`);
      const tier = stringFlag(flags, 'tier');
      if (tier !== undefined && tier !== 'low' && tier !== 'medium' && tier !== 'high') throw new UsageError(`--tier: expected low, medium or high, got "${tier}"`);
      const capacity = intFlag(flags, 'capacity');
      const brokers = intFlag(flags, 'brokers');
      const zone = stringFlag(flags, 'zone');
      const saslBootstrap = listFlag(flags, 'sasl-bootstrap');
      const cluster = await api.clusters.add.mutate({
        name: arg(args, 0),
        role,
        tier: tier ?? null,
        bootstrap: listFlag(flags, 'bootstrap') ?? [],
        ...(saslBootstrap === undefined ? {} : { saslBootstrap }),
        ...(zone === undefined ? {} : { zone }),
        ...(capacity === undefined ? {} : { capacityBytesPerSec: capacity }),
        ...(brokers === undefined ? {} : { brokerCount: brokers }),
      });
      emit(out, cluster, () => `registered cluster ${cluster.name}: ${cluster.role}${cluster.tier ? ` (${cluster.tier})` : ''}, ${cluster.brokerCount} broker(s)`);
    },
  },
  list: {
    usage: '',
    summary: 'list registered clusters',
    async run({ api, out }) {
      const rows = await api.clusters.list.query();
      emit(out, rows, () =>
        table(['name', 'role', 'tier', 'state', 'brokers', 'bootstrap', 'zone'], rows.map((c) => [c.name, c.role, c.tier, c.state, c.brokerCount, c.bootstrap, c.zone])),
      );
    },
  },
  describe: {
    usage: '<name>',
    summary: 'a cluster with its live brokers and topics',
    minArgs: 1,
    async run({ api, out, args }) {
      const cluster = await api.clusters.describe.query({ name: arg(args, 0) });
      emit(out, cluster, () => {
        const head = fields([
          ['name', cluster.name],
          ['role', cluster.role],
          ['tier', cluster.tier],
          ['state', cluster.state],
          ['bootstrap', cluster.bootstrap],
          ['SASL bootstrap', cluster.saslBootstrap],
          ['brokers', cluster.brokerCount],
        ]);
        if ('unreachable' in cluster.live) return `${head}\nlive:      unreachable: ${cluster.live.unreachable}`;
        const brokers = cluster.live.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(' ');
        const topics = table(
          ['topic', 'partitions', 'replicas', 'records', 'placed'],
          cluster.live.topics.map((t) => [t.topic, t.partitions, t.replicationFactor, t.records, t.placed]),
        );
        return `${head}\nlive brokers: ${brokers}\n\n${topics}`;
      });
    },
  },
  'set-state': {
    usage: `<name> <${states.join('|')}>`,
    summary: 'change a cluster state (retire only once nothing is placed there)',
    minArgs: 2,
    async run({ api, out, args }) {
      const state = arg(args, 1);
      if (!(states as readonly string[]).includes(state)) throw new UsageError(`state: expected one of ${states.join(', ')}, got "${state}"`);
      const cluster = await api.clusters.setState.mutate({ name: arg(args, 0), state: state as (typeof states)[number] });
      emit(out, cluster, () => `cluster ${cluster.name} is now ${cluster.state}`);
    },
  },
};
