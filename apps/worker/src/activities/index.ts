import type { KafkaActivities } from '@flotilla/workflows';
import { createKafkaActivities, type KafkaActivityDeps } from './kafka-activities';

export type ActivityDeps = KafkaActivityDeps;
export type Activities = KafkaActivities;

export function createActivities(deps: ActivityDeps): Activities {
  return { ...createKafkaActivities(deps) };
}
