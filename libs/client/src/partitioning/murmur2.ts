// Kafka's key hash, bit for bit as the Java client computes it (Utils.murmur2, Utils.toPositive,
// BuiltInPartitioner.partitionForKey): a keyed record must land on the partition a Java, librdkafka
// (murmur2_random) or KafkaJS producer would choose, or per-key order breaks across clients.

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/**
 * MurmurHash2 (32-bit, seed 0x9747b28c) of `data`, as a signed 32-bit integer like Java's int.
 * Java's int arithmetic wraps at 32 bits: Math.imul and the bitwise operators do the same, where
 * plain `*` would lose the low bits to float rounding.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  // Reading through a DataView gives little-endian 4-byte blocks as Java assembles them, and
  // unsigned bytes, as Java's `& 0xff` makes them.
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let h = SEED ^ length;
  const blocksEnd = length & ~3;

  for (let i = 0; i < blocksEnd; i += 4) {
    let k = view.getInt32(i, true);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }

  // Java's switch falls through from 3 to 1; the comparisons do the same without fallthrough.
  const tail = length & 3;
  if (tail >= 3) h ^= view.getUint8(blocksEnd + 2) << 16;
  if (tail >= 2) h ^= view.getUint8(blocksEnd + 1) << 8;
  if (tail >= 1) {
    h ^= view.getUint8(blocksEnd);
    h = Math.imul(h, M);
  }

  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's Utils.toPositive: clears the sign bit (not Math.abs, which differs for negative values). */
export function toPositive(hash: number): number {
  return hash & 0x7fffffff;
}

/** The partition the Java producer picks for a non-null key. */
export function partitionForKey(key: Uint8Array, partitionCount: number): number {
  return toPositive(murmur2(key)) % partitionCount;
}
