// Partition counts of topics where a producer writes them, for processes that choose partitions
// themselves: the router writes a keyless route's source partition to one destination partition
// (source partition modulo the count), the HTTP proxy checks a requested partition before it
// writes any record of a request. Asked of the clusters the mapping writes the topic to, the
// fewest of their counts (a topic on two clusters has the same count on both unless one was
// expanded first), and kept for a minute: an expanded topic is picked up within it.
import { connectAdmin, type KafkaAdmin } from '@flotilla/kafka';
import { NotFoundError } from '@flotilla/errors';
import type { CompiledMapping } from '@flotilla/mapping';

const MAX_AGE_MS = 60_000;

export class TopicPartitionCounts {
  readonly #admins = new Map<string, Promise<KafkaAdmin>>();
  readonly #counts = new Map<string, { count: number; at: number }>();

  /** The partitions of `topic` on the clusters `mapping` (the producer's view of it) writes it to. */
  async count(topic: string, mapping: CompiledMapping | undefined): Promise<number> {
    const clusters = mapping?.producerTargets(topic) ?? [];
    const key = `${topic}|${clusters.map((c) => c.name).join(',')}`;
    const cached = this.#counts.get(key);
    if (cached && Date.now() - cached.at < MAX_AGE_MS) return cached.count;
    const counts = await Promise.all(clusters.map(async (cluster) => (await this.#admin(cluster.name, cluster.bootstrap)).partitionCount(topic)));
    const known = counts.filter((count): count is number => count !== undefined && count > 0);
    if (known.length === 0) throw new NotFoundError('topic', `${topic} on ${clusters.map((c) => c.name).join(', ') || 'no cluster'}`);
    const count = Math.min(...known);
    this.#counts.set(key, { count, at: Date.now() });
    return count;
  }

  async close(): Promise<void> {
    const admins = [...this.#admins.values()];
    this.#admins.clear();
    await Promise.all(admins.map(async (admin) => (await admin.catch(() => undefined))?.close()));
  }

  #admin(name: string, bootstrap: readonly string[]): Promise<KafkaAdmin> {
    const key = `${name}|${bootstrap.join(',')}`;
    let admin = this.#admins.get(key);
    if (!admin) {
      admin = connectAdmin({ bootstrap: [...bootstrap], clientId: 'flotilla-partition-counts' });
      admin.catch(() => this.#admins.delete(key));
      this.#admins.set(key, admin);
    }
    return admin;
  }
}
