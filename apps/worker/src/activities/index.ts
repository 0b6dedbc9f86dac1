import type { ClusterActivities, ExpandActivities, KafkaActivities, OperationActivities } from '@flotilla/workflows';
import { createClusterActivities } from './cluster-activities';
import { createKafkaActivities, type KafkaActivityDeps } from './kafka-activities';
import { createOperationActivities, type OperationActivityDeps } from './operation-activities';

export type ActivityDeps = KafkaActivityDeps & Partial<OperationActivityDeps>;
export type Activities = KafkaActivities & Partial<OperationActivities & ExpandActivities & ClusterActivities>;

/** Kafka activities always; operation activities when the worker can reach management. */
export function createActivities(deps: ActivityDeps): Activities {
  const { management } = deps;
  return {
    ...createKafkaActivities(deps),
    ...(management ? createOperationActivities({ ...deps, management }) : {}),
    ...(management ? createClusterActivities({ ...deps, management }) : {}),
  };
}
