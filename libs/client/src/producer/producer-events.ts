// The producer's instrumentation events, with KafkaJS' names and event shape ({ id, type,
// timestamp, payload }), plus Flotilla's own. Only events the producer emits can be listened to:
// a listener for a name it never emits is refused at once, not left waiting.
import { InstrumentationEmitter } from '../telemetry/instrumentation-emitter';

export const PRODUCER_EVENTS = {
  CONNECT: 'producer.connect',
  DISCONNECT: 'producer.disconnect',
  /**
   * One produce request answered by a cluster: KafkaJS' payload with the cluster's bootstrap as
   * `broker` (the transport hides which broker of it answered) and `apiName: 'Produce'`.
   */
  REQUEST: 'producer.network.request',
  /** A produce request that got no answer within the delivery timeout (its records are sent again). */
  REQUEST_TIMEOUT: 'producer.network.request_timeout',
  /** Records accepted and not yet acknowledged, per producer: `queueSize` counts records, not requests. */
  REQUEST_QUEUE_SIZE: 'producer.network.request_queue_size',
  /** Flotilla: the producer now follows mapping `payload.version`. */
  MAPPING_VERSION: 'mapping.version',
  /** Flotilla: a mapping version moved the topics this producer sent to onto other clusters. */
  CLUSTER_SWITCH: 'cluster.switch',
} as const;

export type ProducerEventName = (typeof PRODUCER_EVENTS)[keyof typeof PRODUCER_EVENTS];

/**
 * KafkaJS' REQUEST payload, as far as a transport over one cluster can tell it: no
 * `correlationId` or `apiVersion` (the Kafka library below keeps them), `size` counts the
 * records' keys, values and headers.
 */
export interface ProducerRequestPayload {
  broker: string;
  clientId: string;
  size: number;
  createdAt: number;
  sentAt: number;
  pendingDuration: number;
  duration: number;
  apiName: 'Produce';
  apiKey: 0;
  /** Flotilla: the cluster that answered, and the topic and record count of the request. */
  cluster: string;
  topic: string;
  records: number;
}

/** The producer's emitter: KafkaJS' producer events it emits, and Flotilla's. */
export class ProducerEvents extends InstrumentationEmitter<ProducerEventName> {
  constructor() {
    super('producer', Object.values(PRODUCER_EVENTS));
  }
}
