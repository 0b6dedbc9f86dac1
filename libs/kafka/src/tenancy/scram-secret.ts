// What a broker stores for a SCRAM-SHA-512 password: a salt and Hi(password, salt, i) of RFC
// 5802, which is PBKDF2-HMAC-SHA-512 with a 64-byte output (Kafka's ScramFormatter.hi; the
// password is its UTF-8 bytes, no SASLprep). The salted password lets anyone log in as the user,
// so it is a secret like the password itself.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { ValidationError } from '@flotilla/errors';

/** Kafka's controller refuses fewer or more iterations (ScramControlManager). */
export const SCRAM_MIN_ITERATIONS = 4096;
export const SCRAM_MAX_ITERATIONS = 16384;

export interface ScramSecret {
  salt: Buffer;
  saltedPassword: Buffer;
  iterations: number;
}

export function scramSecret(password: string, iterations = SCRAM_MIN_ITERATIONS, salt: Buffer = randomBytes(32)): ScramSecret {
  checkIterations(iterations);
  return { salt, saltedPassword: pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 64, 'sha512'), iterations };
}

export function checkIterations(iterations: number, field = 'iterations'): void {
  if (!Number.isInteger(iterations) || iterations < SCRAM_MIN_ITERATIONS || iterations > SCRAM_MAX_ITERATIONS) {
    throw new ValidationError(`${field}: Kafka accepts SCRAM iterations from ${SCRAM_MIN_ITERATIONS} to ${SCRAM_MAX_ITERATIONS}, got ${iterations}`, { field });
  }
}
