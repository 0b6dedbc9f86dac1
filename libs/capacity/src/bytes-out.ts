// Bytes out of one cluster for one topic (ARCHITECTURE.md §1): every consumer reads the stream
// once, and each follower replica fetches it once more from the leader. It is what saturates a
// cluster first under fan-out, so it is what placement budgets.
import { requireNonNegativeInteger, requireNonNegativeNumber, requirePositiveInteger } from './require-number';

export interface BytesOutInput {
  /** Bytes per second produced to the topic. */
  readonly bytesIn: number;
  /** Consumers (groups) reading the topic on this cluster; for a fronting topic, its routers. */
  readonly consumers: number;
  readonly replicationFactor: number;
}

/** `(consumers + replicationFactor − 1) × bytesIn`, bytes per second. */
export function bytesOut({ bytesIn, consumers, replicationFactor }: BytesOutInput): number {
  requireNonNegativeNumber('bytesIn', bytesIn);
  requireNonNegativeInteger('consumers', consumers);
  requirePositiveInteger('replicationFactor', replicationFactor);
  return (consumers + replicationFactor - 1) * bytesIn;
}
