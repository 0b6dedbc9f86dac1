// The consumer's instrumentation events, with KafkaJS' names and event shape ({ id, type,
// timestamp, payload }), plus Flotilla's own. Only events the consumer emits can be listened to:
// a listener for one of KafkaJS' others (heartbeat, request…) is refused, not left waiting.
import { InstrumentationEmitter } from '../telemetry/instrumentation-emitter';

export const CONSUMER_EVENTS = {
  CONNECT: 'consumer.connect',
  DISCONNECT: 'consumer.disconnect',
  STOP: 'consumer.stop',
  CRASH: 'consumer.crash',
  GROUP_JOIN: 'consumer.group_join',
  REBALANCING: 'consumer.rebalancing',
  FETCH_START: 'consumer.fetch_start',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  COMMIT_OFFSETS: 'consumer.commit_offsets',
  /** Flotilla: the consumer now follows mapping `payload.version`. */
  MAPPING_VERSION: 'mapping.version',
  /** Flotilla: the consumer started or stopped reading from clusters. */
  CLUSTER_SWITCH: 'cluster.switch',
} as const;

export type ConsumerEventName = (typeof CONSUMER_EVENTS)[keyof typeof CONSUMER_EVENTS];

/** KafkaJS events the smart consumer does not emit, and why; `on` refuses them with this reason. */
const NOT_EMITTED: Readonly<Record<string, string>> = {
  'consumer.heartbeat': 'heartbeats are sent by the transport under each cluster, not by the consumer',
  'consumer.fetch': 'fetches are the transport\'s; consumer.fetch_start is emitted once per batch handed over',
  'consumer.network.request': 'requests are made by the transport of each cluster',
  'consumer.network.request_timeout': 'requests are made by the transport of each cluster',
  'consumer.network.request_queue_size': 'requests are made by the transport of each cluster',
  'consumer.received_unsubscribed_topics': 'each cluster\'s group only ever gets the topics the mapping places there',
};

export type { InstrumentationEvent, RemoveInstrumentationEventListener } from '../telemetry/instrumentation-emitter';

export class ConsumerEvents extends InstrumentationEmitter<ConsumerEventName> {
  constructor() {
    super('consumer', Object.values(CONSUMER_EVENTS), NOT_EMITTED);
  }
}
