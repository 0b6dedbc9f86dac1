// What the producer's bounded buffer reports when it refuses records: the numbers an operator
// needs to size it (usage, limits, what was being added), carried by BufferFullError.

export type BufferLimitKind = 'maxBytes' | 'maxRecords';

export interface BufferUsage {
  readonly records: number;
  readonly bytes: number;
}

export interface BufferOverflow {
  /** Usage when the records were refused. */
  readonly records: number;
  readonly bytes: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** What the refused call tried to add (all of it was refused). */
  readonly adding: BufferUsage;
  /** The limit that refused; derived from the numbers when absent. */
  readonly limit?: BufferLimitKind;
}

/** The limit the overflow breaks; the record count first when both do. */
export function exceededLimit(overflow: BufferOverflow): BufferLimitKind {
  if (overflow.limit !== undefined) return overflow.limit;
  return overflow.records + overflow.adding.records > overflow.maxRecords ? 'maxRecords' : 'maxBytes';
}

/**
 * Whether the refused records could never fit, even in an empty buffer. Waiting for acks does
 * not help then, so the error must not invite a retry.
 */
export function exceedsCapacity(overflow: BufferOverflow): boolean {
  return overflow.adding.records > overflow.maxRecords || overflow.adding.bytes > overflow.maxBytes;
}
