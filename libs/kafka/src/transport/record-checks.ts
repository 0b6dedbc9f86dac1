// Checks both producer transports make of a send's records before anything goes out.
import { ValidationError } from '@flotilla/errors';
import type { TransportRecord } from './transport';

/** Every record names its partition: the smart client chooses it, the transports never do. */
export function assertPartitions(topic: string, records: readonly TransportRecord[]): void {
  for (let i = 0; i < records.length; i++) {
    const { partition } = records[i]!;
    if (!Number.isInteger(partition) || partition < 0) {
      throw new ValidationError(`send to topic "${topic}": partition must be a non-negative integer, got ${partition}`, { field: 'partition' });
    }
  }
}
