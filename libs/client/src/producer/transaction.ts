// KafkaJS' Transaction, on the one cluster its topics are placed on (transaction-binding.ts): its
// first call binds it, and its records go through that cluster's transactional producer, apart
// from the buffered, mapping-following path of plain sends. It commits only if every call in it
// succeeded and the mapping still places each of its topics on that cluster; otherwise commit
// aborts it and rejects, so nothing is ever committed on a cluster its topics have left.
import { FlotillaError, ValidationError } from '@flotilla/errors';
import type { TopicPartitionOffset, TransactionalProducerTransport } from '@flotilla/kafka';
import type { ClusterRef, CompiledMapping } from '@flotilla/mapping';
import { partitionForKey } from '../partitioning/murmur2';
import { pendingOf, type PendingRecord } from './pending-record';
import type { ProducerBatch, ProducerRecord, RecordMetadata } from './producer-types';
import { SendCall } from './send-call';
import { bind, movedSince, type Binding, type TopicUse } from './transaction-binding';

/** KafkaJS' sendOffsets argument; `cluster` names the cluster for a topic read from several. */
export interface TransactionOffsets {
  consumerGroupId: string;
  topics: { topic: string; cluster?: string; partitions: { partition: number; offset: string }[] }[];
}

export interface TransactionHooks {
  readonly transactionalId: string;
  /** The mapping in force. */
  mapping(): CompiledMapping;
  /** The cluster's transactional producer, connected (the caller begins the transaction on it). */
  producerFor(cluster: ClusterRef): Promise<TransactionalProducerTransport>;
  /** The transport failed to end a transaction: the next one must not use it. */
  discard(cluster: ClusterRef): void;
  /** The transaction has ended: the producer may begin another. */
  ended(): void;
  /** After a commit: records committed per topic (what heartbeats count). */
  committed(topic: string, records: number): void;
}

type State = 'open' | 'ending' | 'ended';

export class Transaction {
  #state: State = 'open';
  /** Set when commit aborted the transaction itself: a later abort() (the usual catch block) resolves. */
  #abortedByCommit = false;
  #binding: Binding | undefined;
  /** Resolves to the transport once the transaction has begun on it. */
  #begun: Promise<TransactionalProducerTransport> | undefined;
  readonly #uses = new Map<string, TopicUse>();
  readonly #pending = new Set<Promise<unknown>>();
  /** The first call that failed: the transaction can no longer commit. */
  #failure: FlotillaError | undefined;
  /** Per topic, the partition this transaction's keyless records go to. */
  readonly #keyless = new Map<string, number>();
  /** Per topic, the records acknowledged in the transaction. */
  readonly #sent = new Map<string, number>();
  #seq = 0;

  constructor(private readonly hooks: TransactionHooks) {}

  /** KafkaJS' isActive(): true from transaction() until commit or abort has ended it. */
  isActive(): boolean {
    return this.#state !== 'ended';
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const { topic, messages, ...options } = record;
    return this.sendBatch({ topicMessages: [{ topic, messages }], ...options });
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.#run('send', () => {
      const compression = sendOptionsOf(batch);
      const call = new SendCall(compression);
      const staged = stage(batch, call, () => ++this.#seq);
      const binding = this.#bind(staged.map(({ topic }) => ({ topic, side: 'producer' })));
      const done = call.start(staged.reduce((n, s) => n + s.records.length, 0));
      const sending = Promise.all(staged.map(({ topic, records }) => this.#sendTopic(binding.cluster, call, topic, records, compression)));
      sending.catch((error: unknown) => call.fail(FlotillaError.from(error)));
      this.#track(sending);
      return done;
    });
  }

  sendOffsets(offsets: TransactionOffsets): Promise<void> {
    return this.#run('sendOffsets', () => {
      const { groupId, list, uses } = offsetsOf(offsets);
      this.#bind(uses);
      const sending = this.#begun!.then((transport) => transport.sendOffsets(groupId, list));
      this.#track(sending);
      return sending;
    });
  }

  /**
   * Commits once every call in it settled. A failed call, or a topic the mapping has moved off
   * the transaction's cluster since, makes commit abort instead and reject (retryable when the
   * cause is): the records stay invisible to read_committed consumers. Any other failure to
   * commit leaves the transaction active, as KafkaJS does, for the caller to abort.
   */
  async commit(): Promise<void> {
    this.#enter('commit');
    await Promise.allSettled(this.#pending);
    const binding = this.#binding;
    const refusal = binding && (this.#failure ?? movedSince(this.hooks.mapping(), binding, this.#uses.values(), this.hooks.transactionalId));
    if (refusal) {
      await this.#abortOnKafka().catch(() => undefined);
      this.#abortedByCommit = true;
      this.#end();
      throw refusal === this.#failure
        ? new FlotillaError(refusal.code, `transaction "${this.hooks.transactionalId}" was aborted at commit, as one of its calls failed: ${refusal.message}`, { retryable: refusal.retryable, cause: refusal })
        : refusal;
    }
    try {
      if (this.#begun) await (await this.#begun).commit();
    } catch (error) {
      this.#state = 'open';
      throw FlotillaError.from(error);
    }
    this.#end();
    for (const [topic, records] of this.#sent) this.hooks.committed(topic, records);
  }

  /** Aborts: nothing sent in the transaction becomes visible, its offsets are not committed. */
  async abort(): Promise<void> {
    if (this.#abortedByCommit) return;
    this.#enter('abort');
    await Promise.allSettled(this.#pending);
    try {
      await this.#abortOnKafka();
    } finally {
      this.#end();
    }
  }

  /** Runs a send-like call: refused at once when the transaction is not open; a throw is its rejection. */
  #run<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      if (this.#state !== 'open') throw ended(name);
      return work();
    } catch (error) {
      return Promise.reject(FlotillaError.from(error));
    }
  }

  #enter(name: string): void {
    if (this.#state === 'ended') throw ended(name);
    if (this.#state === 'ending') throw new ValidationError(`${name}: the transaction is already being committed or aborted`, { field: 'transaction' });
    this.#state = 'ending';
  }

  #end(): void {
    this.#state = 'ended';
    this.hooks.ended();
  }

  /** Binds the call's topics (the first call decides the cluster) and begins the transaction there. */
  #bind(uses: readonly TopicUse[]): Binding {
    const mapping = this.hooks.mapping();
    let binding: Binding;
    try {
      binding = bind(mapping, uses, this.#binding, this.hooks.transactionalId);
    } catch (error) {
      // A topic moved off the cluster: the transaction can no longer commit (a refused span can).
      if (error instanceof FlotillaError && error.retryable) this.#failure ??= error;
      throw error;
    }
    if (!this.#binding) {
      this.#binding = binding;
      const { cluster } = binding;
      this.#begun = this.hooks.producerFor(cluster).then(async (transport) => {
        await transport.begin();
        return transport;
      });
      this.#track(this.#begun);
    }
    for (const use of uses) this.#uses.set(`${use.side}:${use.topic}:${use.cluster ?? ''}`, use);
    return binding;
  }

  async #sendTopic(cluster: ClusterRef, call: SendCall, topic: string, records: PendingRecord[], compression: number): Promise<void> {
    const transport = await this.#begun!;
    const count = await transport.partitionCount(topic);
    for (const record of records) record.partition = this.#partitionOf(topic, record, count);
    const offsets = await transport.send(topic, records, { compression });
    this.#sent.set(topic, (this.#sent.get(topic) ?? 0) + records.length);
    const target = { key: `${cluster.name}/${topic}`, cluster: cluster.name, topic };
    records.forEach((record, i) => call.acknowledge(target, record.partition, offsets[i]!, 1));
  }

  /** The requested partition, murmur2 of the key (as on the plain path), or one partition per topic for the transaction's keyless records. */
  #partitionOf(topic: string, record: PendingRecord, count: number): number {
    const { requested, key } = record;
    if (requested !== undefined) {
      if (requested < count) return requested;
      throw new ValidationError(`send to topic "${topic}": partition ${requested} does not exist (the topic has ${count})`, { field: 'partition' });
    }
    if (key !== null) return partitionForKey(key, count);
    let partition = this.#keyless.get(topic);
    if (partition === undefined || partition >= count) this.#keyless.set(topic, (partition = Math.floor(Math.random() * count)));
    return partition;
  }

  #track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      (error: unknown) => void (this.#failure ??= FlotillaError.from(error)),
    );
    this.#pending.add(settled);
  }

  async #abortOnKafka(): Promise<void> {
    const begun = this.#begun && (await this.#begun.catch(() => undefined));
    if (!begun) return;
    try {
      await begun.abort();
    } catch (error) {
      // Its state is unknown: a fresh producer with the same transactional id fences it and
      // aborts what it left open.
      this.hooks.discard(this.#binding!.cluster);
      throw FlotillaError.from(error);
    }
  }
}

function ended(name: string): ValidationError {
  return new ValidationError(`${name}: the transaction has ended (committed or aborted); begin another with producer.transaction()`, { field: 'transaction' });
}

/** KafkaJS' per-send options in a transaction: acks must be all (-1), as a transactional producer's are; timeout is the producer's. */
function sendOptionsOf(batch: ProducerBatch): number {
  if (batch.acks !== undefined && batch.acks !== -1) {
    throw new ValidationError(`send: acks ${JSON.stringify(batch.acks)} in a transaction: a transactional producer writes with acks -1 (all); leave acks out`, { field: 'acks' });
  }
  if (batch.timeout !== undefined) {
    throw new ValidationError(`send: timeout ${JSON.stringify(batch.timeout)} is not supported per send: each call of a transaction is bounded by the producer's delivery timeout; leave timeout out`, { field: 'timeout' });
  }
  return batch.compression ?? 0;
}

/** A send's records per topic, checked and converted as on the plain path (pendingOf). */
function stage(batch: ProducerBatch, call: SendCall, nextSeq: () => number): { topic: string; records: PendingRecord[] }[] {
  const entries = batch.topicMessages;
  if (!Array.isArray(entries) || entries.length === 0) throw new ValidationError(`topicMessages: expected a non-empty array, got ${JSON.stringify(entries)}`, { field: 'topicMessages' });
  return entries.map(({ topic, messages }, t) => {
    if (typeof topic !== 'string' || topic.length === 0) throw new ValidationError(`topicMessages[${t}].topic: expected a topic name, got ${JSON.stringify(topic)}`, { field: 'topic' });
    if (!Array.isArray(messages) || messages.length === 0) throw new ValidationError(`${topic}: messages must be a non-empty array`, { field: 'messages' });
    return { topic, records: messages.map((message, i) => pendingOf(message, i, topic, call, nextSeq())) };
  });
}

function offsetsOf(offsets: TransactionOffsets): { groupId: string; list: TopicPartitionOffset[]; uses: TopicUse[] } {
  const { consumerGroupId: groupId, topics } = offsets ?? {};
  if (typeof groupId !== 'string' || groupId.length === 0) throw new ValidationError(`sendOffsets: consumerGroupId: expected a group id, got ${JSON.stringify(groupId)}`, { field: 'consumerGroupId' });
  if (!Array.isArray(topics) || topics.length === 0) throw new ValidationError('sendOffsets: topics: expected a non-empty array of { topic, partitions }', { field: 'topics' });
  const list: TopicPartitionOffset[] = [];
  for (const { topic, partitions } of topics) {
    if (!Array.isArray(partitions)) throw new ValidationError(`sendOffsets: topic "${topic}": partitions: expected an array of { partition, offset }`, { field: 'partitions' });
    for (const { partition, offset } of partitions) {
      if (!Number.isInteger(partition) || partition < 0 || !/^\d+$/.test(String(offset))) {
        throw new ValidationError(`sendOffsets: topic "${topic}": expected { partition: a non-negative integer, offset: a decimal string }, got ${JSON.stringify({ partition, offset })}`, { field: 'partitions' });
      }
      list.push({ topic, partition, offset: String(offset) });
    }
  }
  return { groupId, list, uses: topics.map(({ topic, cluster }) => ({ topic, side: 'consumer', cluster })) };
}
