// Picks a transport by name, for configuration that says which client library to use.
import { kafkajsTransport } from './kafkajs-transport';
import { rdkafkaTransport } from './rdkafka-transport';
import type { TransportFactory, TransportKind } from './transport';

const transports: Record<TransportKind, TransportFactory> = {
  kafkajs: kafkajsTransport,
  rdkafka: rdkafkaTransport,
};

export function transportFor(kind: TransportKind): TransportFactory {
  return transports[kind];
}
