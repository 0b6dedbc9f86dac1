// What every operation that moves producers accepts about its tail (ARCHITECTURE.md §4): by
// default the source stays on the consumer side for the topic's retention after producers left.
import { z } from 'zod';

const MINUTE_MS = 60_000;

export const tailOptions = {
  /**
   * Explicit early release: the source leaves the consumer side once at least one live consumer
   * group exists and every live group read it to the end. Off: it stays for the topic's retention.
   */
  releaseWhenDrained: z.boolean().default(false),
  /** A group with no members and no commit for this long does not hold an early release (reported). */
  staleGroupMs: z.int().min(0).default(15 * MINUTE_MS),
};
