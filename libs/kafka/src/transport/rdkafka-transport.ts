// The node-rdkafka (librdkafka) implementation of the transport seam.
import { rdkafkaConsumer } from './rdkafka-consumer';
import { rdkafkaProducer } from './rdkafka-producer';
import type { TransportFactory } from './transport';

/**
 * librdkafka's batch.size and message.max.bytes (both 1,000,000 by default): one partition's
 * record batch in a request, counted as encoded (each record's lengths and deltas included, and
 * the request's and batch's headers).
 */
const LIBRDKAFKA_BATCH_BYTES = 1_000_000;
/** The request's header, the topic name (up to 249 bytes), the batch header (61) and the slack for the last record's worst-case lengths. */
const REQUEST_ALLOWANCE_BYTES = 500;
/**
 * A record's encoded lengths and deltas (length, attributes, timestamp delta, offset delta, key
 * and value lengths, header count: 10-17 bytes for records under 2 MB), with room to spare.
 */
const RECORD_OVERHEAD_BYTES = 20;

export const rdkafkaTransport: TransportFactory = {
  kind: 'rdkafka',
  // librdkafka sends a partition's queue at once when it holds batch.size bytes of keys and
  // values, otherwise after linger.ms, and a request's batch holds at most batch.size bytes
  // encoded. So 1,000 records of 1 KB (1,024,000 bytes) to one partition went out at once as
  // two requests, 967 records and 33, and the small ones took up the idempotent producer's five
  // requests in flight. Cut to what one encoded batch holds (957 of them), a send is one request
  // after the linger (measured: libs/client/README.md, Batching).
  preferredBatchBytes: LIBRDKAFKA_BATCH_BYTES - REQUEST_ALLOWANCE_BYTES,
  recordOverheadBytes: RECORD_OVERHEAD_BYTES,
  // A request cut to one encoded batch holds less than batch.size bytes of keys and values, so
  // librdkafka kept it until linger.ms passed although nothing more was coming: the smart
  // producer ran at 0.95x node-rdkafka's msgs/s of 1 KB records. It now lingers itself and
  // gives librdkafka 2 ms, time for the produce() loop that hands one request over.
  handoverLingerMs: 2,
  producer: rdkafkaProducer,
  consumer: rdkafkaConsumer,
};
