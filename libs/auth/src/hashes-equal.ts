// Comparing a presented token's hash with the stored one in constant time, so response timing
// does not reveal how many leading characters matched.
import { timingSafeEqual } from 'node:crypto';

/**
 * True when two hex hashes are equal. Different lengths return false at once: a hash's length is
 * public (it is fixed by the algorithm), only its content is worth hiding.
 */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
