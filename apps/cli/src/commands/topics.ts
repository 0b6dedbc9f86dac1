import { arg, intFlag, listFlag, stringFlag, UsageError, type CommandGroup } from '../command';
import { emit, fields, table } from '../output';

const tiers = ['low', 'medium', 'high'] as const;
type Tier = (typeof tiers)[number];

function tierOf(value: string | undefined): Tier | undefined {
  if (value === undefined) return undefined;
  if (!(tiers as readonly string[]).includes(value)) throw new UsageError(`--tier: expected low, medium or high, got "${value}"`);
  return value as Tier;
}

export const topics: CommandGroup = {
  create: {
    usage: '<name> [--tier low|medium|high] [--partitions n] [--keyed] [--bytes-in bytes/s] [--consumers n] [--retention-ms ms] [--cluster name] [--owner app]',
    summary: 'create a topic on the tier pool cluster with the most free capacity (idempotent)',
    minArgs: 1,
    options: {
      tier: { type: 'string' },
      partitions: { type: 'string' },
      keyed: { type: 'boolean' },
      'bytes-in': { type: 'string' },
      consumers: { type: 'string' },
      'retention-ms': { type: 'string' },
      cluster: { type: 'string' },
      owner: { type: 'string' },
    },
    async run({ api, out, args, flags }) {
      const optional = {
        tier: tierOf(stringFlag(flags, 'tier')),
        partitions: intFlag(flags, 'partitions'),
        bytesInPerSec: intFlag(flags, 'bytes-in'),
        consumers: intFlag(flags, 'consumers'),
        retentionMs: intFlag(flags, 'retention-ms'),
        cluster: stringFlag(flags, 'cluster'),
        owner: stringFlag(flags, 'owner'),
      };
      const result = await api.topics.create.mutate({
        name: arg(args, 0),
        keyed: flags['keyed'] === true,
        ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
      });
      emit(out, result, () => {
        const { topic, placement } = result;
        const verb = result.created ? 'created' : 'already exists:';
        return `${verb} topic ${topic.name} on ${placement.producers.join(',')}: ${topic.partitions} partition(s), ${topic.replicas} replica(s), retention ${topic.retentionMs} ms, tier ${topic.tier}${topic.keyed ? ', keyed' : ''}`;
      });
    },
  },
  list: {
    usage: '',
    summary: 'list topics with where they are produced and consumed',
    async run({ api, out }) {
      const rows = await api.topics.list.query();
      emit(out, rows, () =>
        table(
          ['name', 'tier', 'partitions', 'replicas', 'keyed', 'producers', 'consumers'],
          rows.map((t) => [t.name, t.tier, t.partitions, t.replicas, t.keyed, t.producers, t.consumers]),
        ),
      );
    },
  },
  describe: {
    usage: '<name>',
    summary: 'a topic: placement, live state per cluster, producers and consumers seen',
    minArgs: 1,
    async run({ api, out, args }) {
      const d = await api.topics.describe.query({ name: arg(args, 0) });
      emit(out, d, () => {
        const head = fields([
          ['name', d.topic.name],
          ['tier', d.topic.tier],
          ['partitions', d.topic.partitions],
          ['replicas', d.topic.replicas],
          ['retention', `${d.topic.retentionMs} ms`],
          ['keyed', d.topic.keyed],
          ['producers', d.placement.producers],
          ['consumers', d.placement.consumers],
          ['handoff', d.handoff ? `${d.handoff.fromCluster} → ${d.handoff.toCluster}` : null],
        ]);
        const live = table(
          ['cluster', 'partitions', 'replicas', 'records', 'state'],
          d.live.map((l) =>
            'unreachable' in l
              ? [l.cluster, null, null, null, `unreachable: ${l.unreachable}`]
              : 'missing' in l
                ? [l.cluster, null, null, null, 'missing on the cluster']
                : [l.cluster, l.partitions, l.replicationFactor, l.records, 'ok'],
          ),
        );
        const clients = table(
          ['side', 'client', 'application', 'mapping', 'group', 'last heartbeat'],
          [
            ...d.producers.map((c) => ['producer', c.clientId, c.application, c.mappingVersion, c.groupId, c.lastHeartbeatAt] as const),
            ...d.consumers.map((c) => ['consumer', c.clientId, c.application, c.mappingVersion, c.groupId, c.lastHeartbeatAt] as const),
          ],
        );
        return `${head}\n\n${live}\n\n${clients}`;
      });
    },
  },
  place: {
    usage: '<name> [--producers a,b] [--consumers a,b] [--reason text]',
    summary: 'set where a topic is produced and consumed, and publish it',
    minArgs: 1,
    options: { producers: { type: 'string' }, consumers: { type: 'string' }, reason: { type: 'string' } },
    async run({ api, out, args, flags }) {
      const producers = listFlag(flags, 'producers');
      const consumers = listFlag(flags, 'consumers');
      if (!producers && !consumers) throw new UsageError('give --producers, --consumers or both');
      const reason = stringFlag(flags, 'reason');
      const result = await api.topics.place.mutate({
        name: arg(args, 0),
        ...(producers ? { producers } : {}),
        ...(consumers ? { consumers } : {}),
        ...(reason ? { reason } : {}),
      });
      emit(out, result, () => `published mapping version ${result.version}`);
    },
  },
  delete: {
    usage: '<name>',
    summary: 'delete a topic from the registry, the mapping and its clusters',
    minArgs: 1,
    async run({ api, out, args }) {
      const name = arg(args, 0);
      const result = await api.topics.delete.mutate({ name });
      emit(out, result, () =>
        result.kafka.map((k) => (k.deleted ? `deleted ${name} on ${k.cluster}` : `removed ${name} from the mapping; deleting it on ${k.cluster} failed: ${k.error}`)).join('\n') ||
        `deleted ${name} (it had no placement)`,
      );
    },
  },
};
