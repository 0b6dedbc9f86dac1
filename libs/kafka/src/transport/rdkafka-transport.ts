// The node-rdkafka (librdkafka) implementation of the transport seam.
import { rdkafkaConsumer } from './rdkafka-consumer';
import { rdkafkaProducer } from './rdkafka-producer';
import type { TransportFactory } from './transport';

export const rdkafkaTransport: TransportFactory = {
  kind: 'rdkafka',
  // librdkafka batches per partition up to batch.size (1,000,000 bytes with record overhead) and
  // sends a batch as soon as it is full, otherwise after linger.ms. A send of 1 MiB to one
  // partition fills a batch that goes at once, and only its remainder (some 40 of 1,000 records
  // of 1 KB) waits out the linger. Cut at 512 KiB, neither half fills a batch: both wait, as two
  // smaller requests to two partitions (measured: libs/client/README.md, Batching).
  preferredBatchBytes: 1024 * 1024,
  producer: rdkafkaProducer,
  consumer: rdkafkaConsumer,
};
