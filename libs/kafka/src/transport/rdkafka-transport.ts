// The node-rdkafka (librdkafka) implementation of the transport seam.
import { rdkafkaConsumer } from './rdkafka-consumer';
import { rdkafkaProducer } from './rdkafka-producer';
import { rdkafkaTransactionalProducer } from './rdkafka-transactional-producer';
import type { TransportFactory } from './transport';

export const rdkafkaTransport: TransportFactory = {
  kind: 'rdkafka',
  producer: rdkafkaProducer,
  consumer: rdkafkaConsumer,
  transactionalProducer: rdkafkaTransactionalProducer,
};
