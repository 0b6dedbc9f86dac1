// One HTTP consumer instance: a smart consumer in the application's group on one topic, whose
// batch handlers hold their records in a HandoutQueue until HTTP clients take them (fetch, or a
// stream), so Kafka is read no faster than clients read. Nothing is committed but what a client
// commits; what it was given and did not commit goes to the group again once this instance ends
// (idle expiry, a stream dropped with records unacknowledged, a proxy restart).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumerMessage, EachBatchPayload, InstrumentationEvent, MultiClusterConsumer } from '@flotilla/client';
import { HandoutQueue, partitionKey, type GivenOffset, type Handed, type OfferedBatch } from './handout-queue';

/** Partitions whose batches wait for clients at once: with their batch sizes, what one instance holds at most. */
export const HELD_PARTITIONS = 4;
/** How often a handler waiting for clients heartbeats (kafkajs heartbeats only when asked). */
const HEARTBEAT_MS = 2_000;

/** What the session needs of the smart consumer: a seam the unit tests fill with a fake. */
export type SessionConsumer = Pick<MultiClusterConsumer, 'events' | 'on' | 'connect' | 'subscribe' | 'run' | 'commitOffsets' | 'pause' | 'resume' | 'disconnect'>;

export interface SessionKey {
  readonly application: string;
  readonly group: string;
  readonly topic: string;
  readonly consumer: string;
}

/** The Kafka group an application's HTTP group is: namespaced, so no application reads another's. */
export const kafkaGroupId = (key: Pick<SessionKey, 'application' | 'group'>): string => `${key.application}.${key.group}`;

export class ConsumeSession {
  readonly #queue = new HandoutQueue<ConsumerMessage>();
  readonly #committed = new Map<string, string>();
  readonly #assignment = new Map<string, number[]>();
  #users = 0;
  #lastUsedAt: number;
  #closing: Promise<void> | undefined;

  constructor(
    readonly key: SessionKey,
    private readonly consumer: SessionConsumer,
    private readonly now: () => number = Date.now,
    /** Told what each fetch hands out: records, and their key and value bytes (the heartbeat's consumed counts). */
    private readonly onHanded?: (records: number, bytes: number) => void,
  ) {
    this.#lastUsedAt = now();
  }

  /** Joins the group and starts reading the topic (from its beginning when the group has no commit). */
  async start(): Promise<void> {
    const { consumer } = this;
    consumer.on(consumer.events.GROUP_JOIN, (event: InstrumentationEvent<{ cluster: string; memberAssignment: Record<string, number[]> }>) => {
      const partitions = event.payload.memberAssignment[this.key.topic] ?? [];
      this.#assignment.set(event.payload.cluster, [...partitions].sort((a, b) => a - b));
      // A partition given to another member: committing it from here would undo that member's commits.
      this.#queue.forget(event.payload.cluster, (partition) => partitions.includes(partition));
    });
    consumer.on(consumer.events.REBALANCING, (event: InstrumentationEvent<{ cluster: string }>) => {
      this.#queue.release((batch) => batch.cluster === event.payload.cluster);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.key.topic, fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: HELD_PARTITIONS, eachBatch: (payload) => this.#hold(payload) });
  }

  /** Up to `max` records, as soon as there are any, or none after `timeoutMs` (or once `signal` aborts). */
  async fetch(max: number, timeoutMs: number, signal?: AbortSignal): Promise<Handed<ConsumerMessage>[]> {
    this.#users += 1;
    try {
      const deadline = this.now() + timeoutMs;
      for (;;) {
        const taken = this.#queue.take(max);
        const left = deadline - this.now();
        if (taken.length > 0) this.onHanded?.(taken.length, taken.reduce((sum, { message }) => sum + (message.key?.length ?? 0) + (message.value?.length ?? 0), 0));
        if (taken.length > 0 || left <= 0 || this.#closing || signal?.aborted) return taken;
        await this.#queue.waitForRecords(left, signal);
      }
    } finally {
      this.#users -= 1;
      this.#lastUsedAt = this.now();
    }
  }

  /** Commits `offsets`, or without them everything given and not yet committed; answers what it committed. */
  async commit(offsets?: readonly GivenOffset[]): Promise<GivenOffset[]> {
    this.#lastUsedAt = this.now();
    const list = offsets ? [...offsets] : this.uncommitted();
    if (list.length === 0) return [];
    await this.consumer.commitOffsets(list.map(({ cluster, partition, offset }) => ({ cluster, topic: this.key.topic, partition, offset })));
    for (const { cluster, partition, offset } of list) this.#committed.set(partitionKey(cluster, partition), offset);
    return list;
  }

  /** What was handed out past the last commit, per partition. */
  uncommitted(): GivenOffset[] {
    return this.#queue.given().filter((given) => this.#committed.get(partitionKey(given.cluster, given.partition)) !== given.offset);
  }

  /** A stream holds the session open while it is attached. */
  attach(): () => void {
    this.#users += 1;
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      this.#users -= 1;
      this.#lastUsedAt = this.now();
    };
  }

  /** Stops fetching the topic (a stream's client is not reading); records held stay held. */
  pauseFetching(): void {
    this.consumer.pause([{ topic: this.key.topic }]);
  }

  resumeFetching(): void {
    this.consumer.resume([{ topic: this.key.topic }]);
  }

  /** The partitions the group assigns this instance, per cluster. */
  assignment(): { cluster: string; partitions: number[] }[] {
    return [...this.#assignment].map(([cluster, partitions]) => ({ cluster, partitions })).sort((a, b) => a.cluster.localeCompare(b.cluster));
  }

  /** Neither fetched nor streamed from for `idleMs`. */
  isIdle(now: number, idleMs: number): boolean {
    return this.#users === 0 && now - this.#lastUsedAt >= idleMs;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Gives back what is held and leaves the group; what was given and not committed goes to other members. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#queue.close();
      await this.consumer.disconnect();
    })();
    return this.#closing;
  }

  async #hold({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const offered: OfferedBatch<ConsumerMessage> = { cluster: batch.cluster, partition: batch.partition, messages: batch.messages, resolveOffset };
    let handed = false;
    const done = this.#queue.offer(offered).then(() => {
      handed = true;
    });
    while (!handed) {
      const tick = new AbortController();
      await Promise.race([done, sleep(HEARTBEAT_MS, undefined, { signal: tick.signal }).catch(() => undefined)]);
      tick.abort();
      if (handed) return;
      try {
        await heartbeat();
      } catch {
        // The group is rebalancing: give the batch back rather than hold the rebalance up.
        this.#queue.release((held) => held === offered);
      }
    }
  }
}
