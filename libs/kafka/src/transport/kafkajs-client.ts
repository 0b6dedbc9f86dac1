// How the kafkajs transports build their client: silent (errors reach callers as FlotillaErrors,
// not as log lines), and with timeouts and a retry budget sized to the caller's time limit so
// that kafkajs' own retries never outlast it.
import { Kafka, logLevel } from 'kafkajs';
import type { SaslCredentials } from './transport';

export interface KafkajsClientOptions {
  bootstrap: readonly string[];
  sasl?: SaslCredentials | undefined;
  clientId: string;
  /** The longest a single operation may take; connection and request timeouts derive from it. */
  timeoutMs: number;
}

export function createKafkajsClient(options: KafkajsClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.bootstrap],
    ...(options.sasl ? { sasl: { mechanism: options.sasl.mechanism, username: options.sasl.username, password: options.sasl.password } } : {}),
    logLevel: logLevel.NOTHING,
    // A third of the budget leaves room for another broker or a second attempt; an absent
    // cluster refuses connections at once on most networks anyway.
    connectionTimeout: clamp(options.timeoutMs / 3, 250, 3_000),
    requestTimeout: clamp(options.timeoutMs, 1_000, 30_000),
    // Few, quick retries inside kafkajs; the transports retry further within their deadline.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
}

function clamp(value: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, value)));
}
