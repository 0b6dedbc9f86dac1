// Partition counts are whole multiples of the broker count, so every broker leads the same
// number of partitions and no broker is the hot one.
import { requirePositiveInteger } from './require-number';

/** `requested` rounded up to a multiple of `brokerCount`; at least one partition per broker. */
export function roundPartitions(requested: number, brokerCount: number): number {
  requirePositiveInteger('partitions', requested);
  requirePositiveInteger('brokerCount', brokerCount);
  return Math.ceil(requested / brokerCount) * brokerCount;
}
