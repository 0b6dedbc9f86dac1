// The one cluster a transaction runs on. Kafka's transactions are per cluster, so a transaction
// binds to the cluster its first call's topics are placed on (producer side for what it sends,
// consumer side for the offsets it commits) and refuses topics placed elsewhere, naming them.
//
// A topic that was on the transaction's cluster when it joined the transaction and is placed
// elsewhere by a later mapping version (a move, a failover) is a different matter: the
// transaction is no longer where its topic's records belong, so it must not commit there. That
// is a retryable ConflictError: the same transaction run again binds to the new cluster.
import { ConflictError, ValidationError } from '@flotilla/errors';
import type { ClusterRef, CompiledMapping } from '@flotilla/mapping';

/** A topic a transaction writes to (`producer`) or commits a group's offsets of (`consumer`). */
export interface TopicUse {
  readonly topic: string;
  readonly side: 'producer' | 'consumer';
  /** For offsets of a topic read from several clusters: the cluster they are offsets on. */
  readonly cluster?: string | undefined;
}

export interface Binding {
  readonly cluster: ClusterRef;
  /** The mapping version the transaction bound under: what "moved" is judged against. */
  readonly mapping: CompiledMapping;
  /** The topic that decided the cluster, for messages. */
  readonly topic: string;
}

/**
 * The one cluster `use` is on under `mapping`. Throws UnknownTopicError for a topic the mapping
 * does not place, and a ValidationError for a topic written to several clusters (a dual write
 * cannot be atomic) or offsets of a topic read from several clusters without `cluster`.
 */
export function placeOf(mapping: CompiledMapping, use: TopicUse): ClusterRef {
  const { topic, side } = use;
  if (side === 'producer') {
    const sinks = mapping.producerTargets(topic);
    if (sinks.length === 1) return sinks[0]!;
    throw new ValidationError(
      `transaction: topic "${topic}" is written to ${sinks.length} clusters (${names(sinks)}) under mapping version ${mapping.version}; a transaction commits on one cluster, so it cannot write a topic with several sinks`,
      { field: 'topic' },
    );
  }
  const sources = mapping.consumerSources(topic);
  if (use.cluster !== undefined) {
    const source = sources.find((c) => c.name === use.cluster);
    if (source) return source;
    throw new ValidationError(`sendOffsets: topic "${topic}" is not read from cluster "${use.cluster}" (it is read from ${names(sources)}, mapping version ${mapping.version})`, { field: 'cluster' });
  }
  if (sources.length === 1) return sources[0]!;
  throw new ValidationError(
    `sendOffsets: topic "${topic}" is read from ${sources.length} clusters (${names(sources)}); give the cluster its offsets belong to as \`cluster\` with the topic, as the consumer's payload names it`,
    { field: 'cluster' },
  );
}

/**
 * Binds a transaction's call to one cluster: the binding given (a transaction already bound),
 * or the cluster of the call's uses. Throws, naming the topics and their clusters, when they are
 * not all on that cluster; a topic that moved off the bound cluster since it bound throws the
 * retryable `moved` error instead.
 */
export function bind(mapping: CompiledMapping, uses: readonly TopicUse[], binding: Binding | undefined, transactionalId: string): Binding {
  const placed = uses.map((use) => ({ use, cluster: placeOf(mapping, use) }));
  const first = placed[0];
  if (!first) throw new ValidationError('transaction: a call with no topic', { field: 'topic' });
  const target = binding ?? { cluster: first.cluster, mapping, topic: first.use.topic };
  const strays = placed.filter((p) => !sameCluster(p.cluster, target.cluster));
  if (strays.length === 0) return target;
  if (binding) {
    for (const { use } of strays) if (wasOn(binding, use)) throw moved(transactionalId, binding, use, mapping);
  }
  const listed = [{ use: { topic: target.topic }, cluster: target.cluster }, ...strays].map((p) => `"${p.use.topic}" on ${p.cluster.name}`);
  throw new ValidationError(
    `transaction: its topics are on different clusters (${[...new Set(listed)].join(', ')}, mapping version ${mapping.version}); a Kafka transaction commits on one cluster, so put these topics in separate transactions`,
    { field: 'topic' },
  );
}

/**
 * At commit: the first of `uses` that the current mapping no longer places on the bound cluster,
 * as the retryable error to fail the commit with; undefined when all are still there.
 */
export function movedSince(mapping: CompiledMapping, binding: Binding, uses: Iterable<TopicUse>, transactionalId: string): ConflictError | undefined {
  if (mapping === binding.mapping) return undefined;
  for (const use of uses) {
    let now: ClusterRef | undefined;
    try {
      now = placeOf(mapping, use);
    } catch {
      now = undefined;
    }
    if (!now || !sameCluster(now, binding.cluster)) return moved(transactionalId, binding, use, mapping);
  }
  return undefined;
}

function wasOn(binding: Binding, use: TopicUse): boolean {
  try {
    return sameCluster(placeOf(binding.mapping, use), binding.cluster);
  } catch {
    return false;
  }
}

function moved(transactionalId: string, binding: Binding, use: TopicUse, mapping: CompiledMapping): ConflictError {
  const now = mapping.resolve(use.side, use.topic) ?? [];
  const where = now.length === 0 ? 'is no longer in the mapping' : `is now ${use.side === 'producer' ? 'written to' : 'read from'} ${names(now)}`;
  return new ConflictError(
    'transaction',
    transactionalId,
    `cannot commit on cluster ${binding.cluster.name}: topic "${use.topic}" ${where} (mapping version ${mapping.version}, the transaction began under ${binding.mapping.version}); it cannot commit (commit aborts it): run it again and it commits on the topic's new cluster`,
    { retryable: true },
  );
}

/** The same cluster, reached at the same addresses (a changed bootstrap is another cluster to a connection). */
function sameCluster(a: ClusterRef, b: ClusterRef): boolean {
  return a.name === b.name && a.bootstrap.join(',') === b.bootstrap.join(',');
}

function names(clusters: readonly ClusterRef[]): string {
  return clusters.map((c) => c.name).join(', ') || 'none';
}
