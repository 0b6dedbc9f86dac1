import { arg, intFlag, parseWhole, requiredFlag, UsageError, type CommandGroup } from '../command';
import { emit, fields } from '../output';

export const capacity: CommandGroup = {
  plan: {
    usage: '--tier low|medium|high --bytes-in bytes/s --consumers n [--partitions n]',
    summary: 'where a topic would go: cluster, partitions, bytes out = (consumers + RF − 1) × bytes in',
    options: { tier: { type: 'string' }, 'bytes-in': { type: 'string' }, consumers: { type: 'string' }, partitions: { type: 'string' } },
    async run({ api, out, flags }) {
      const tier = requiredFlag(flags, 'tier');
      if (tier !== 'low' && tier !== 'medium' && tier !== 'high') throw new UsageError(`--tier: expected low, medium or high, got "${tier}"`);
      const partitions = intFlag(flags, 'partitions');
      const plan = await api.capacity.plan.query({
        tier,
        bytesInPerSec: intFlag(flags, 'bytes-in') ?? 0,
        consumers: intFlag(flags, 'consumers') ?? 1,
        ...(partitions === undefined ? {} : { partitions }),
      });
      emit(out, plan, () =>
        fields([
          ['cluster', plan.cluster],
          ['partitions', plan.partitions],
          ['replicas', plan.replicationFactor],
          ['retention', `${plan.retentionMs} ms`],
          ['bytes out', `${plan.bytesOutPerSec} bytes/s`],
          ['headroom', `${plan.headroomAfter} bytes/s left after`],
        ]),
      );
    },
  },
  availability: {
    usage: '<clusters> <simultaneous-broker-failures>',
    summary: 'how much less likely k broker failures take data offline with s small clusters than one big one (s^(k−1))',
    minArgs: 2,
    async run({ api, out, args }) {
      const result = await api.capacity.availability.query({ clusters: parseWhole(arg(args, 0), 'clusters'), failures: parseWhole(arg(args, 1), 'failures') });
      emit(out, result, () => `${result.clusters} clusters, ${result.failures} simultaneous broker failures: ${result.gain}× less likely to take any data offline than one big cluster`);
    },
  },
};
