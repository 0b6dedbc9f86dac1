import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scramSecret } from './scram-secret';

/** RFC 5802 Hi() as Kafka's ScramFormatter.hi writes it: U1 = HMAC(pw, salt ‖ INT(1)), Ui = HMAC(pw, Ui−1), XOR of all. */
function hi(password: string, salt: Buffer, iterations: number): Buffer {
  let u = createHmac('sha512', password).update(Buffer.concat([salt, Buffer.from([0, 0, 0, 1])])).digest();
  const result = Buffer.from(u);
  for (let i = 1; i < iterations; i++) {
    u = createHmac('sha512', password).update(u).digest();
    for (let j = 0; j < result.length; j++) result[j]! ^= u[j]!;
  }
  return result;
}

describe('scramSecret', () => {
  it('is Hi(password, salt, iterations) with HMAC-SHA-512 over a fresh 32-byte salt', () => {
    const secret = scramSecret('pässword', 4096);
    expect(secret.salt).toHaveLength(32);
    expect(secret.saltedPassword.equals(hi('pässword', secret.salt, 4096))).toBe(true);
    expect(scramSecret('pässword').salt.equals(secret.salt)).toBe(false);
  });

  it('refuses iterations Kafka would refuse, naming the value', () => {
    expect(() => scramSecret('p', 1000)).toThrow(/iterations: Kafka accepts SCRAM iterations from 4096 to 16384, got 1000/);
    expect(() => scramSecret('p', 16385)).toThrow(/got 16385/);
  });
});
