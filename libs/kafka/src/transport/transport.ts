// The seam between the smart client (libs/client) and a Kafka client library. One per-cluster
// producer and consumer interface, implemented over kafkajs and over node-rdkafka; the same
// contract suite (transport.contract.ts) runs against both.
//
// The smart client owns everything that must be identical whatever the library: partition
// choice (murmur2 / sticky), buffering, routing, retries across mapping changes. A transport
// talks to exactly one cluster and does what it is told.

export type TransportKind = 'kafkajs' | 'rdkafka';

/** acks=all (-1, with idempotence) is the default; 1 is the explicit latency mode. */
export type Acks = -1 | 1;

/** A header's value as a producer gives it: one value, or several for a header repeated in the record. */
export type HeaderValue = Buffer | string | (Buffer | string)[];

export interface TransportRecord {
  /** Chosen by the smart client; the transport never re-partitions. */
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  /**
   * An array sends the header once per value, in order (KafkaJS' shape). node-rdkafka can only
   * send header values that are UTF-8 text without NUL bytes; its transport rejects others with
   * a ValidationError instead of altering them.
   */
  headers?: Record<string, HeaderValue> | undefined;
  /** Milliseconds since epoch, as a string (KafkaJS shape). */
  timestamp?: string | undefined;
}

/** SASL/SCRAM-SHA-512 as an application: what a cluster's authenticated listener takes. */
export interface SaslCredentials {
  readonly mechanism: 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** librdkafka's settings for `sasl`, or none on the plaintext listener. */
export function rdkafkaSaslConfig(sasl: SaslCredentials | undefined): Record<string, string> {
  if (!sasl) return {};
  return { 'security.protocol': 'sasl_plaintext', 'sasl.mechanisms': 'SCRAM-SHA-512', 'sasl.username': sasl.username, 'sasl.password': sasl.password };
}

export interface ProducerTransportOptions {
  bootstrap: readonly string[];
  /** An application's credential, for a cluster's authenticated listener; absent on the plaintext one. */
  sasl?: SaslCredentials | undefined;
  clientId: string;
  acks: Acks;
  /**
   * How long one send() may take before it rejects with a retryable UnavailableError.
   * Short (seconds): the smart client keeps the records and retries them, possibly on another
   * cluster after a mapping change, so the transport must not hide an outage for minutes.
   */
  deliveryTimeoutMs: number;
  /** Produce requests in flight per broker connection (KafkaJS' maxInFlightRequests); 5 by default, at most 5 with acks -1. */
  maxInFlightRequests?: number;
}

/** What one send() asks of its request beyond the records. */
export interface SendOptions {
  /**
   * KafkaJS' CompressionTypes value for the request (None by default). A transport that cannot
   * honour it rejects the call with a ValidationError (see compressionRefusal).
   */
  compression?: number;
}

export interface ProducerTransport {
  readonly kind: TransportKind;
  /** Resolves once connected; rejects (retryable) when the cluster cannot be reached. */
  connect(): Promise<void>;
  /**
   * Sends records to one topic, at once and as handed over: no lingering for more records and
   * no merging with other calls (the caller batches). Resolves with each record's offset in its
   * partition (the one it was sent with), in input order, once the cluster acknowledged them
   * with the configured acks. Offsets only: the caller has the records. A number, not KafkaJS's decimal string: a
   * string per record was a measurable share of a small record's cost, and node-rdkafka reports
   * offsets as numbers anyway (exact below 2^53, which no partition reaches).
   * Records of consecutive calls reach a partition in call order. Rejects with a FlotillaError
   * within about `deliveryTimeoutMs`: retryable (UnavailableError) for outages and timeouts,
   * non-retryable for rejected input (ValidationError: unknown topic or partition, record too
   * large; ForbiddenError: not authorised). Never waits for `connect()`; connects itself if needed.
   * After a rejection some of the call's records may still have been written.
   */
  send(topic: string, records: readonly TransportRecord[], options?: SendOptions): Promise<number[]>;
  /** Partition count of a topic on this cluster (cached; refreshed on `refresh: true`). */
  partitionCount(topic: string, options?: { refresh?: boolean }): Promise<number>;
  disconnect(): Promise<void>;
}

/** One record of a ConsumedBatch; its topic and partition are the batch's. */
export interface ConsumedRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** A header that occurs more than once in the record has an array of its values, as in KafkaJS. */
  headers: Record<string, Buffer | Buffer[] | undefined>;
  timestamp: string;
  /** The record batch's attributes (compression, timestamp type); 0 where the client hides them. */
  attributes: number;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  /** End offset (high watermark) of the partition when the batch was fetched, if known. */
  highWatermark?: string;
  /**
   * Keeps the group membership alive during a long handler, where the library heartbeats only
   * when asked (kafkajs); absent where it heartbeats in the background (librdkafka).
   */
  heartbeat?: () => Promise<void>;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read, as a decimal string (KafkaJS commit semantics). */
  offset: string;
}

export interface ConsumerTransportOptions {
  bootstrap: readonly string[];
  sasl?: SaslCredentials | undefined;
  clientId: string;
  groupId: string;
  /** Where a group with no committed offset starts. */
  fromBeginning: boolean;
  /** The group tuning KafkaJS' consumer options name (sessionTimeout, heartbeatInterval…), as it means them. */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How long the group waits for members to rejoin in a rebalance (librdkafka: max.poll.interval.ms). */
  rebalanceTimeoutMs?: number;
  /** Fetch sizes and wait: KafkaJS' maxBytesPerPartition, minBytes, maxBytes, maxWaitTimeInMs. */
  maxBytesPerPartition?: number;
  minBytes?: number;
  maxBytes?: number;
  maxWaitTimeMs?: number;
  /** Told when this member's group assignment changes, for KafkaJS' group_join and rebalancing events. */
  onGroupEvent?: (event: GroupEvent) => void;
}

/** This member's view of its group on the cluster, as KafkaJS reports it in its events. */
export type GroupEvent =
  | {
      type: 'join';
      /** Empty where the library does not tell it (node-rdkafka). */
      memberId: string;
      isLeader: boolean;
      leaderId: string;
      groupProtocol: string;
      /** Topic → the partitions assigned to this member, all of them (not the change). */
      assignment: Record<string, number[]>;
      /** From the start of the join (or the rebalance) to the assignment. */
      durationMs: number;
    }
  | { type: 'rebalancing'; memberId: string };

export interface ConsumerTransport {
  readonly kind: TransportKind;
  /** Resolves once the cluster answered; rejects (retryable) when it cannot be reached. */
  connect(): Promise<void>;
  /**
   * Starts consuming `topics` (replacing any earlier set; an empty set stops consuming) and calls
   * `onBatch` with records in offset order per partition, one batch at a time per partition
   * (different partitions may be in `onBatch` at once). Offsets are committed only by `commit`
   * (no auto-commit), so a record is never marked read before the handler finished; `commit`
   * may be awaited inside `onBatch`. When `onBatch` rejects, the same records are delivered
   * again after a short pause. Resolves once the group has assigned partitions (the wait is
   * bounded); rejects with a ValidationError naming the topic when the cluster lacks one.
   */
  run(topics: readonly string[], onBatch: (batch: ConsumedBatch) => Promise<void>): Promise<void>;
  /** Commits the offsets for the group; resolves once the coordinator confirmed them. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** The group's committed offsets for a topic (partitions without a commit are absent). */
  committed(topic: string): Promise<Map<number, bigint>>;
  /** Log end offsets per partition of a topic on this cluster. */
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  /**
   * Stops delivery for the partitions (all of a topic's, including ones assigned later, when
   * `partitions` is absent) until `resume`; a batch already in `onBatch` finishes. Records
   * fetched but not delivered are kept, not skipped. Survives rebalances and a new `run`.
   */
  pause(topicPartitions: readonly { topic: string; partitions?: number[] }[]): void;
  resume(topicPartitions: readonly { topic: string; partitions?: number[] }[]): void;
  /**
   * The partition's next delivered record is the one at `offset`; what was fetched but not yet
   * delivered is dropped. On a partition not assigned yet, it applies once it is assigned.
   */
  seek(target: TopicPartitionOffset): void;
  /** The group as this cluster's coordinator describes it, in KafkaJS' GroupDescription shape. */
  describeGroup(): Promise<GroupDescription>;
  /** Stops fetching, leaves the group, closes connections. Safe to call twice. */
  disconnect(): Promise<void>;
}

/** KafkaJS' GroupDescription: the group on one cluster. */
export interface GroupDescription {
  groupId: string;
  members: { memberId: string; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }[];
  protocol: string;
  protocolType: string;
  state: string;
  errorCode: number;
}

export interface TransactionalProducerOptions {
  bootstrap: readonly string[];
  sasl?: SaslCredentials | undefined;
  clientId: string;
  /** Kafka's transactional.id: connecting with it fences an earlier producer that had it, on this cluster. */
  transactionalId: string;
  /** How long the broker lets a transaction stay open before it aborts it (KafkaJS' transactionTimeout). */
  transactionTimeoutMs: number;
  /** Produce requests in flight per connection (KafkaJS' maxInFlightRequests), at most 5. */
  maxInFlightRequests?: number;
  /** The bound on each call (connect, send, sendOffsets, commit, abort); past it the call rejects, retryable. */
  timeoutMs: number;
}

/**
 * A transactional producer on one cluster: records sent between `begin` and `commit` become
 * visible to read_committed consumers together, or never (`abort`), with any consumer offsets
 * sent to the transaction. One transaction at a time; the caller serialises begin/commit/abort.
 * Kept apart from ProducerTransport so the plain send path carries no transaction state.
 */
export interface TransactionalProducerTransport {
  readonly kind: TransportKind;
  /** Connects and registers the transactional id with the cluster's transaction coordinator. */
  connect(): Promise<void>;
  begin(): Promise<void>;
  /**
   * Sends records within the open transaction, each to the partition it names (the caller
   * partitions, as for ProducerTransport.send); resolves with their offsets in input order once
   * acknowledged (acks=all).
   */
  send(topic: string, records: readonly TransportRecord[], options?: SendOptions): Promise<number[]>;
  /** Adds the group's offsets (the next offset to read) to the open transaction: committed with it, dropped by an abort. */
  sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  /** Partition count of a topic on this cluster; a ValidationError when it has no such topic. */
  partitionCount(topic: string): Promise<number>;
  disconnect(): Promise<void>;
}

export interface TransportFactory {
  readonly kind: TransportKind;
  producer(options: ProducerTransportOptions): ProducerTransport;
  consumer(options: ConsumerTransportOptions): ConsumerTransport;
  /** Absent on a factory without transactions (test doubles); both Kafka transports have it. */
  transactionalProducer?(options: TransactionalProducerOptions): TransactionalProducerTransport;
}
