// Registers a cluster after dialing it: the broker count is what the cluster reports.
import { newClusterSchema } from '@flotilla/db';
import { ValidationError, parseInput } from '@flotilla/errors';
import { withCluster } from '../../connect-cluster';
import type { WriteContext } from '../../context';
import { publishRegistry } from '../../publish-registry';
import { followedByBrokers } from '../tenancy/publish-access-set';
import type { AddClusterInput } from './cluster-inputs';

export async function addCluster({ services, changes }: Pick<WriteContext, 'services' | 'changes'>, input: AddClusterInput) {
  const { brokerCount: expected, ...rest } = input;
  // The shape is checked before anything is dialed.
  parseInput(newClusterSchema, { ...rest, brokerCount: expected ?? 1 }, `cluster "${input.name}"`);
  const described = await withCluster(services, input.bootstrap, (admin) => admin.describeCluster());
  const brokerCount = described.brokers.length;
  if (expected !== undefined && expected !== brokerCount) {
    throw new ValidationError(
      `invalid cluster "${input.name}": brokerCount: the cluster at ${input.bootstrap.join(',')} reports ${brokerCount} broker(s), got ${expected}`,
      { field: 'brokerCount' },
    );
  }
  const added = await changes.run(async (tx, audit) => {
    const cluster = await tx.clusters.add({ ...rest, brokerCount });
    await audit({ target: `cluster/${cluster.name}`, details: { ...rest, brokerCount } });
    await publishRegistry(tx, changes.actor, `add cluster ${cluster.name}`);
    return cluster;
  });
  await services.mappingFeed.refresh();
  // Applications' Kafka credentials, ACLs and quotas reach the new cluster before the caller hears back.
  await followedByBrokers(services);
  return added;
}
