// PendingRecords for the producer parts' unit tests.
import { SendCall } from '../producer/send-call';
import type { PendingRecord } from '../producer/pending-record';

let seq = 0;

/** A keyless record of `size` bytes for `topic`, numbered after every one made before. */
export function pendingRecord(topic: string, size = 10, fields: Partial<PendingRecord> = {}): PendingRecord {
  return { seq: ++seq, topic, partition: -1, key: null, value: Buffer.alloc(size), headers: undefined, timestamp: undefined, requested: undefined, size, call: new SendCall(), ...fields };
}
