import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive } from './murmur2';
import fixture from './testdata/murmur2-java-vectors.json';

// Vectors printed by the Kafka Java client itself (testdata/GenerateMurmur2Vectors.java, run
// against kafka-clients 3.9.1): the only authority on where a keyed record must go.
interface JavaVector {
  label: string;
  text?: string;
  keyHex: string;
  murmur2: number;
  toPositive: number;
  partitions: Record<string, number>;
}

const vectors: readonly JavaVector[] = fixture.vectors;

describe('murmur2', () => {
  it('reproduces the hashes asserted by Kafka UtilsTest.testMurmur2', () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, expected] of cases) expect(murmur2(Buffer.from(key)), key).toBe(expected);
  });

  it('covers every tail length and the byte kinds a key can hold', () => {
    const lengths = new Set(vectors.map((v) => v.keyHex.length / 2));
    for (let n = 0; n <= 20; n++) expect(lengths.has(n), `length ${n}`).toBe(true);
    expect(vectors.some((v) => v.text !== undefined && Buffer.byteLength(v.text) > v.text.length)).toBe(true);
    expect(vectors.some((v) => v.text === undefined)).toBe(true);
    expect(fixture.partitionCounts).toEqual([1, 3, 7, 12, 100]);
  });

  it.each(vectors.map((v) => [`${v.label} ${v.text !== undefined ? JSON.stringify(v.text) : v.keyHex}`, v] as const))(
    'equals the Java client for %s',
    (_name, vector) => {
      const key = Buffer.from(vector.keyHex, 'hex');
      // The fixture keeps the text only as a label; the hashed bytes are its UTF-8 encoding.
      if (vector.text !== undefined) expect(Buffer.from(vector.text, 'utf8').equals(key)).toBe(true);
      expect(murmur2(key)).toBe(vector.murmur2);
      expect(toPositive(murmur2(key))).toBe(vector.toPositive);
      for (const count of fixture.partitionCounts) {
        expect(partitionForKey(key, count), `${count} partitions`).toBe(vector.partitions[String(count)]);
      }
    },
  );

  it('hashes a view into a larger buffer by its own bytes only', () => {
    const backing = Buffer.from('xxfoobaryy');
    expect(murmur2(backing.subarray(2, 8))).toBe(-790332482);
  });

  it('toPositive clears the sign bit instead of negating', () => {
    // Math.abs(-1) would be 1; Java's toPositive(-1) is 0x7fffffff.
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
  });
});
