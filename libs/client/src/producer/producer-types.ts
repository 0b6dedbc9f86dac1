// The KafkaJS producer shapes Flotilla keeps, so an application switches by changing its
// import. RecordMetadata also names the cluster that acknowledged the record.
export interface Message {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  /** An explicit partition; otherwise murmur2 of the key, or the sticky partitioner. */
  partition?: number;
  /** An array value sends the header once per value, as KafkaJS does. */
  headers?: Record<string, Buffer | string | (Buffer | string)[]>;
  timestamp?: string;
}

/**
 * KafkaJS' per-send options. `acks` must be the producer's own (each cluster connection is made
 * with it; 0 is refused: records are kept until acknowledged), `timeout` is refused (the
 * producer's delivery timeout bounds each request), `compression` takes CompressionTypes:
 * GZIP built in, Snappy, LZ4 and ZSTD once a codec is registered in CompressionCodecs (kafkajs
 * transport only). A refused option rejects the send at once, naming it.
 */
export interface SendOptions {
  acks?: number;
  timeout?: number;
  compression?: number;
}

export interface ProducerRecord extends SendOptions {
  topic: string;
  messages: Message[];
}

export interface TopicMessages {
  topic: string;
  messages: Message[];
}

export interface ProducerBatch extends SendOptions {
  topicMessages: TopicMessages[];
}

export interface RecordMetadata {
  topicName: string;
  partition: number;
  errorCode: number;
  /** Offset of the record in its partition. */
  baseOffset: string;
  /**
   * KafkaJS' fields, always '-1' here: the transports report offsets only. KafkaJS gives the
   * broker's append time for LogAppendTime topics ('-1' otherwise, as here) and the partition's
   * log start offset.
   */
  logAppendTime: string;
  logStartOffset: string;
  cluster: string;
}

export type BufferFullPolicy = 'error' | 'drop-oldest';

export interface BufferLimits {
  /** Bytes of keys, values and headers waiting for acknowledgement. */
  maxBytes: number;
  maxRecords: number;
  onFull: BufferFullPolicy;
}
