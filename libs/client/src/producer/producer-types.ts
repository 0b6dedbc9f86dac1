// The KafkaJS producer shapes Flotilla keeps, so an application switches by changing its
// import. RecordMetadata also names the cluster that acknowledged the record.
export interface Message {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  /** An explicit partition; otherwise murmur2 of the key, or the sticky partitioner. */
  partition?: number;
  headers?: Record<string, Buffer | string>;
  timestamp?: string;
}

export interface ProducerRecord {
  topic: string;
  messages: Message[];
}

export interface TopicMessages {
  topic: string;
  messages: Message[];
}

export interface ProducerBatch {
  topicMessages: TopicMessages[];
}

export interface RecordMetadata {
  topicName: string;
  partition: number;
  errorCode: number;
  /** Offset of the record in its partition. */
  baseOffset: string;
  cluster: string;
}

export type BufferFullPolicy = 'error' | 'drop-oldest';

export interface BufferLimits {
  /** Bytes of keys, values and headers waiting for acknowledgement. */
  maxBytes: number;
  maxRecords: number;
  onFull: BufferFullPolicy;
}
