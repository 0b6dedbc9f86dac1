// The consumer's instrumentation events, with KafkaJS' names and event shape ({ id, type,
// timestamp, payload }), plus Flotilla's own. Only events the consumer emits can be listened to:
// a listener for one of KafkaJS' others (heartbeat, request…) is refused, not left waiting.
import { ValidationError } from '@flotilla/errors';

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

export interface InstrumentationEvent<P> {
  id: number;
  type: string;
  timestamp: number;
  payload: P;
}

export type RemoveInstrumentationEventListener = () => void;

const known = new Set<string>(Object.values(CONSUMER_EVENTS));

export class ConsumerEvents {
  readonly #listeners = new Map<string, Set<(event: InstrumentationEvent<unknown>) => void>>();
  #id = 0;

  on(eventName: string, listener: (event: InstrumentationEvent<never>) => void): RemoveInstrumentationEventListener {
    if (!known.has(eventName)) {
      const why = NOT_EMITTED[eventName];
      throw new ValidationError(
        why
          ? `consumer.on: "${eventName}" is not emitted by the Flotilla consumer: ${why}`
          : `consumer.on: unknown event "${eventName}"; expected one of ${[...known].join(', ')}`,
        { field: 'eventName' },
      );
    }
    if (typeof listener !== 'function') throw new ValidationError(`consumer.on: the listener of "${eventName}" must be a function`, { field: 'listener' });
    const listeners = this.#listeners.get(eventName) ?? new Set();
    this.#listeners.set(eventName, listeners);
    const entry = listener as (event: InstrumentationEvent<unknown>) => void;
    listeners.add(entry);
    return () => void listeners.delete(entry);
  }

  /** Whether anyone listens: payloads that cost something are built only then. */
  listened(eventName: ConsumerEventName): boolean {
    return (this.#listeners.get(eventName)?.size ?? 0) > 0;
  }

  emit(eventName: ConsumerEventName, payload: unknown): void {
    const listeners = this.#listeners.get(eventName);
    if (!listeners || listeners.size === 0) return;
    const event: InstrumentationEvent<unknown> = { id: ++this.#id, type: eventName, timestamp: Date.now(), payload };
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener must not break consumption, as with KafkaJS' event emitter.
      }
    }
  }
}
