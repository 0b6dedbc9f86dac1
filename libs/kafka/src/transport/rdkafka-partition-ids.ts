// A node-rdkafka client's partition ids per topic, for committed() and endOffsets(). A metadata
// request waits on the broker connection behind a long-polling fetch (up to fetch.wait.max.ms),
// so it is asked again only when the caller wants a fresh answer (run()) or once the answer is
// MAX_AGE_MS old (partitions may be added).
import type { KafkaConsumer, Metadata } from 'node-rdkafka';
import { ValidationError } from '@flotilla/errors';
import { rdkafkaError } from './rdkafka-errors';

const MAX_AGE_MS = 60_000;

export class RdkafkaPartitionIds {
  readonly #ids = new Map<string, { ids: number[]; at: number }>();

  constructor(
    private readonly where: string,
    private readonly timeoutMs: number,
  ) {}

  /** Sorted partition ids of `topic`; a ValidationError when the cluster does not have it. */
  async of(consumer: KafkaConsumer, topic: string, options: { fresh?: boolean } = {}): Promise<number[]> {
    const cached = options.fresh ? undefined : this.#ids.get(topic);
    if (cached && Date.now() - cached.at < MAX_AGE_MS) return cached.ids;
    const context = `topic "${topic}" on ${this.where}`;
    const metadata = await new Promise<Metadata>((resolve, reject) =>
      consumer.getMetadata({ topic, allTopics: false, timeout: this.timeoutMs }, (error, data) => (error ? reject(rdkafkaError(error, context)) : resolve(data))),
    );
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions.map((p) => p.id) ?? [];
    if (partitions.length === 0) throw new ValidationError(`${context}: unknown topic`);
    partitions.sort((a, b) => a - b);
    this.#ids.set(topic, { ids: partitions, at: Date.now() });
    return partitions;
  }
}
