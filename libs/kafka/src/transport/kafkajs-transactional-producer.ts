// TransactionalProducerTransport over kafkajs: its transactional producer (producer.transaction()),
// each call bounded by the caller's timeout and its errors turned into FlotillaErrors. Partitions
// come with the records, as on the plain path.
import type { Admin, Producer, Transaction } from 'kafkajs';
import { UnavailableError, ValidationError } from '@flotilla/errors';
import { kafkaErrorType, toFlotillaError } from '../kafka-errors';
import { compressionRefusal } from './compression';
import { beforeDeadline } from './deadline';
import { createKafkajsClient } from './kafkajs-client';
import { assignOffsets, toMessage } from './kafkajs-producer';
import { assertPartitions } from './record-checks';
import type { SendOptions, TopicPartitionOffset, TransactionalProducerOptions, TransactionalProducerTransport, TransportRecord } from './transport';

export function kafkajsTransactionalProducer(options: TransactionalProducerOptions): TransactionalProducerTransport {
  return new KafkajsTransactionalProducer(options);
}

class KafkajsTransactionalProducer implements TransactionalProducerTransport {
  readonly kind = 'kafkajs' as const;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly where: string;
  private transaction: Transaction | undefined;
  private adminConnected: Promise<void> | undefined;

  constructor(private readonly options: TransactionalProducerOptions) {
    const kafka = createKafkajsClient({ bootstrap: options.bootstrap, sasl: options.sasl, clientId: options.clientId, timeoutMs: options.timeoutMs });
    this.where = options.bootstrap.join(',');
    this.producer = kafka.producer({
      transactionalId: options.transactionalId,
      transactionTimeout: options.transactionTimeoutMs,
      idempotent: true,
      maxInFlightRequests: options.maxInFlightRequests ?? 1,
      allowAutoTopicCreation: false,
      // The smart client has chosen every partition; kafkajs must not re-partition.
      createPartitioner: () => ({ message }) => message.partition ?? -1,
    });
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    return this.bounded(`connect to Kafka at ${this.where}`, () => this.producer.connect());
  }

  async begin(): Promise<void> {
    // kafkajs registers the transactional id (InitProducerId) on its first transaction().
    this.transaction = await this.bounded(`begin a transaction on ${this.where}`, () => this.producer.transaction());
  }

  async send(topic: string, records: readonly TransportRecord[], options: SendOptions = {}): Promise<number[]> {
    const transaction = this.open('send');
    assertPartitions(topic, records);
    const refusal = compressionRefusal(this.kind, options.compression);
    if (refusal) throw new ValidationError(`send to topic "${topic}": ${refusal}`, { field: 'compression' });
    if (records.length === 0) return [];
    const context = `send to topic "${topic}" in a transaction on ${this.where}`;
    const compression = options.compression ?? 0;
    const metadata = await this.bounded(context, () =>
      transaction.send({ topic, messages: records.map(toMessage), acks: -1, ...(compression === 0 ? {} : { compression }) }),
    );
    const offsets = new Array<number | undefined>(records.length);
    // kafkajs leaves out records for partitions its metadata lacks; a transaction must not commit without them.
    if (assignOffsets(topic, records, undefined, metadata, offsets).length > 0) throw new UnavailableError(`${context}: the client has no metadata for partitions the topic has`);
    return offsets as number[];
  }

  async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const transaction = this.open('sendOffsets');
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, offset } of offsets) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset }]);
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    await this.bounded(`send offsets of group "${groupId}" to a transaction on ${this.where}`, () => transaction.sendOffsets({ consumerGroupId: groupId, topics }));
  }

  async commit(): Promise<void> {
    const transaction = this.open('commit');
    await this.bounded(`commit a transaction on ${this.where}`, () => transaction.commit());
    this.transaction = undefined;
  }

  async abort(): Promise<void> {
    const transaction = this.open('abort');
    await this.bounded(`abort a transaction on ${this.where}`, () => transaction.abort());
    this.transaction = undefined;
  }

  async partitionCount(topic: string): Promise<number> {
    const context = `partition count of topic "${topic}" on ${this.where}`;
    this.adminConnected ??= this.admin.connect().catch((error: unknown) => {
      this.adminConnected = undefined;
      throw error;
    });
    try {
      const metadata = await this.bounded(context, async () => {
        await this.adminConnected;
        return this.admin.fetchTopicMetadata({ topics: [topic] });
      });
      const count = metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
      if (count > 0) return count;
    } catch (error) {
      if (kafkaErrorType(error) !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    }
    throw new ValidationError(`${context}: unknown topic`, { field: 'topic' });
  }

  async disconnect(): Promise<void> {
    const admin = this.adminConnected?.then(() => this.admin.disconnect());
    await Promise.allSettled([this.producer.disconnect(), admin]);
  }

  private open(call: string): Transaction {
    if (!this.transaction) throw new ValidationError(`${call}: no transaction is open on ${this.where}`, { field: 'transaction' });
    return this.transaction;
  }

  /** Runs a kafkajs call within the timeout, its failure as a FlotillaError that names `context`. */
  private bounded<T>(context: string, work: () => Promise<T>): Promise<T> {
    const timeout = (): UnavailableError => new UnavailableError(`${context}: no answer within ${this.options.timeoutMs} ms`);
    return beforeDeadline(work(), Date.now() + this.options.timeoutMs, timeout).catch((error: unknown) => {
      throw toFlotillaError(error, context);
    });
  }
}
