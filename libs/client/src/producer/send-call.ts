// One send() call as the caller sees it: a promise that settles once every record of the call is
// acknowledged (with KafkaJS-shaped RecordMetadata), or at the call's first failure.
import type { RecordMetadata } from './producer-types';

/** Where a request went: its cluster and topic, and `cluster/topic` as one key. */
export interface AckTarget {
  readonly key: string;
  readonly cluster: string;
  readonly topic: string;
}

/**
 * One object per call rather than a closure per record keeps the hot path lean. It resolves as
 * KafkaJS's send() does, with one RecordMetadata per partition the call's records went to (per
 * cluster here too), whose baseOffset is the offset of the call's first record there.
 * Acknowledgements come per run of records (a keyless request is one run), so a record costs
 * neither an object nor an offset string of its own.
 */
export class SendCall {
  /** The call's CompressionTypes value: a request holds records of one compression only (see batchAt). */
  constructor(readonly compression = 0) {}

  /** Per cluster and topic (by `AckTarget.key`): the lowest offset acknowledged per partition. */
  private readonly firsts = new Map<string, { target: AckTarget; offsets: number[] }>();
  private lastKey = '';
  private last: number[] = [];
  private left = 0;
  private failed = false;
  private resolve: (results: RecordMetadata[]) => void = () => undefined;
  private reject: (error: Error) => void = () => undefined;

  /** Once the call's records are admitted: its promise, settled by `acknowledge` and `fail`. */
  start(count: number): Promise<RecordMetadata[]> {
    this.left = count;
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** The call fails at its first failed record; later outcomes of its records are ignored. */
  fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.reject(error);
  }

  /** `count` of the call's records were acknowledged on `target`'s `partition`, the first at `offset`. */
  acknowledge(target: AckTarget, partition: number, offset: number, count: number): void {
    if (this.failed) return;
    if (target.key !== this.lastKey) {
      let entry = this.firsts.get(target.key);
      if (!entry) this.firsts.set(target.key, (entry = { target, offsets: [] }));
      this.lastKey = target.key;
      this.last = entry.offsets;
    }
    const known = this.last[partition];
    if (known === undefined || offset < known) this.last[partition] = offset;
    this.left -= count;
    if (this.left === 0) this.resolve(this.results());
  }

  private results(): RecordMetadata[] {
    const results: RecordMetadata[] = [];
    for (const { target, offsets } of this.firsts.values()) {
      offsets.forEach((offset, partition) => results.push({ topicName: target.topic, partition, errorCode: 0, baseOffset: String(offset), logAppendTime: '-1', logStartOffset: '-1', cluster: target.cluster }));
    }
    return results;
  }
}
