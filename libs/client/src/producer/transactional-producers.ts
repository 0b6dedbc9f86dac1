// The transactional side of a producer given a transactionalId: one transactional producer per
// cluster that a transaction has bound to (made on first use, kept for the next transaction, the
// same transactional id on each cluster), and one transaction at a time, as in KafkaJS.
import { ValidationError } from '@flotilla/errors';
import type { SaslCredentials, TransactionalProducerTransport, TransportFactory } from '@flotilla/kafka';
import { clusterEndpoint } from '../cluster-endpoint';
import type { ClusterRef, CompiledMapping } from '@flotilla/mapping';
import { Transaction } from './transaction';

export interface TransactionalOptions {
  clientId: string;
  transactionalId: string;
  /** KafkaJS' transactionTimeout (60 s by default). */
  transactionTimeoutMs?: number | undefined;
  maxInFlightRequests?: number | undefined;
  /** Each call's bound on a cluster. */
  timeoutMs: number;
  transport: TransportFactory;
  /** The application's Kafka credential: transactions then run on each cluster's authenticated listener. */
  sasl?: SaslCredentials | undefined;
  /** The mapping in force (the producer is connected before a transaction begins). */
  mapping: () => CompiledMapping;
  /** Records a transaction committed to a topic. */
  committed?: (topic: string, records: number) => void;
}

const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

interface ClusterProducer {
  readonly bootstrap: string;
  readonly transport: TransactionalProducerTransport;
  readonly connected: Promise<void>;
}

/**
 * The producer's transactional side when `transactionalId` is given, else undefined. A
 * transaction needs acks -1 (idempotence), so acks 1 with a transactionalId is refused.
 */
export function transactionalSide(options: Omit<TransactionalOptions, 'transactionalId'> & { transactionalId?: string | undefined; acks: number }): TransactionalProducers | undefined {
  const { transactionalId, acks } = options;
  if (transactionalId === undefined) return undefined;
  if (typeof transactionalId !== 'string' || transactionalId.length === 0) {
    throw new ValidationError(`transactionalId: expected a non-empty string, got ${JSON.stringify(transactionalId)}`, { field: 'transactionalId' });
  }
  if (acks !== -1) {
    throw new ValidationError(`transactionalId with acks ${acks}: a transactional producer is idempotent and writes with acks -1 (all); give acks: -1 or leave acks out`, { field: 'acks' });
  }
  return new TransactionalProducers({ ...options, transactionalId });
}

export class TransactionalProducers {
  readonly #byCluster = new Map<string, ClusterProducer>();
  #active: Transaction | undefined;

  constructor(private readonly options: TransactionalOptions) {}

  /** KafkaJS' producer.transaction(): refused while another transaction of this producer is active. */
  begin(): Transaction {
    if (this.#active?.isActive()) {
      throw new ValidationError('transaction(): there is already an ongoing transaction for this producer; commit or abort it before beginning another (as KafkaJS)', { field: 'transaction' });
    }
    const transaction = new Transaction({
      transactionalId: this.options.transactionalId,
      mapping: this.options.mapping,
      producerFor: (cluster) => this.#producerFor(cluster),
      discard: (cluster) => this.#close(cluster.name),
      ended: () => {
        if (this.#active === transaction) this.#active = undefined;
      },
      committed: (topic, records) => this.options.committed?.(topic, records),
    });
    this.#active = transaction;
    return transaction;
  }

  /** A new mapping version: producers of clusters it no longer declares close (unless a transaction is on them). */
  onMapping(mapping: CompiledMapping): void {
    for (const name of this.#byCluster.keys()) if (!mapping.clusters.has(name) && !this.#active) void this.#close(name);
  }

  /** Aborts an active transaction (its records never become visible), then closes every producer. */
  async close(): Promise<void> {
    const active = this.#active;
    if (active?.isActive()) await active.abort().catch(() => undefined);
    await Promise.all([...this.#byCluster.keys()].map((name) => this.#close(name)));
  }

  async #producerFor(cluster: ClusterRef): Promise<TransactionalProducerTransport> {
    const endpoint = clusterEndpoint(cluster, this.options.sasl);
    const bootstrap = endpoint.bootstrap.join(',');
    let entry = this.#byCluster.get(cluster.name);
    if (entry && entry.bootstrap !== bootstrap) {
      void this.#close(cluster.name);
      entry = undefined;
    }
    if (!entry) {
      const { clientId, transactionalId, transactionTimeoutMs, maxInFlightRequests, timeoutMs, transport: factory } = this.options;
      if (!factory.transactionalProducer) throw new ValidationError(`transaction(): the ${factory.kind} transport given has no transactional producer`, { field: 'transport' });
      const transport = factory.transactionalProducer({
        ...endpoint,
        clientId,
        transactionalId,
        transactionTimeoutMs: transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
        timeoutMs,
        ...(maxInFlightRequests === undefined ? {} : { maxInFlightRequests }),
      });
      const made: ClusterProducer = { bootstrap, transport, connected: transport.connect() };
      this.#byCluster.set(cluster.name, made);
      // A producer that could not connect is made afresh by the next transaction.
      made.connected.catch(() => {
        if (this.#byCluster.get(cluster.name) === made) void this.#close(cluster.name);
      });
      entry = made;
    }
    await entry.connected;
    return entry.transport;
  }

  async #close(name: string): Promise<void> {
    const entry = this.#byCluster.get(name);
    if (!entry) return;
    this.#byCluster.delete(name);
    await entry.transport.disconnect().catch(() => undefined);
  }
}
