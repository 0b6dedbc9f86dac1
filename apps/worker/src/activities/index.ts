import type { Logger } from '@flotilla/observability';
import type { ClusterActivities, ExpandActivities, KafkaActivities, OperationActivities } from '@flotilla/workflows';
import { createClusterActivities } from './cluster-activities';
import { createKafkaActivities, type KafkaActivityDeps } from './kafka-activities';
import { logActivities } from './log-activities';
import { createOperationActivities, type OperationActivityDeps } from './operation-activities';

export type ActivityDeps = KafkaActivityDeps & Partial<OperationActivityDeps> & {
  /** Where each activity call is logged (log-activities.ts); none: not logged. */
  readonly logger?: Logger;
};
export type Activities = KafkaActivities & Partial<OperationActivities & ExpandActivities & ClusterActivities>;

/** Kafka activities always; operation activities when the worker can reach management. */
export function createActivities(deps: ActivityDeps): Activities {
  const { management, logger } = deps;
  const activities: Activities = {
    ...createKafkaActivities(deps),
    ...(management ? createOperationActivities({ ...deps, management }) : {}),
    ...(management ? createClusterActivities({ ...deps, management }) : {}),
  };
  return logger ? logActivities(activities, logger) : activities;
}
