// The KafkaJS idioms the compatibility suite runs on every subject (plain kafkajs, and the smart
// client over each transport), expecting the same observation from all of them: producer,
// consumer and eachBatch/event scenarios, and what they share (scenario-support.ts).
import { batchScenarios } from './batch-scenarios';
import { consumerScenarios } from './consumer-scenarios';
import { producerScenarios } from './producer-scenarios';
import type { Scenario } from './scenario-support';

export type { Cleanup, Scenario } from './scenario-support';

export const scenarios: readonly Scenario[] = [...producerScenarios, ...consumerScenarios, ...batchScenarios];
