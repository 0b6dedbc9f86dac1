// The node-rdkafka (librdkafka) implementation of the transport seam.
import { rdkafkaConsumer } from './rdkafka-consumer';
import { rdkafkaProducer } from './rdkafka-producer';
import type { TransportFactory } from './transport';

export const rdkafkaTransport: TransportFactory = {
  kind: 'rdkafka',
  // librdkafka batches per partition up to batch.size (1 MB with record overhead); a send above
  // it is split, and its remainder waits out linger.ms alone while the next send goes to
  // another partition. Sends of 1 MiB cost more CPU per 1 KB record than 512 KiB ones (8 of 10
  // paired rounds).
  preferredBatchBytes: 512 * 1024,
  producer: rdkafkaProducer,
  consumer: rdkafkaConsumer,
};
