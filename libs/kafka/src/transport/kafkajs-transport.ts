// The kafkajs implementation of the transport seam.
import { kafkajsConsumer } from './kafkajs-consumer';
import { kafkajsProducer } from './kafkajs-producer';
import { kafkajsTransactionalProducer } from './kafkajs-transactional-producer';
import type { TransportFactory } from './transport';

export const kafkajsTransport: TransportFactory = {
  kind: 'kafkajs',
  producer: kafkajsProducer,
  consumer: kafkajsConsumer,
  transactionalProducer: kafkajsTransactionalProducer,
};
