// API tokens: `flt_<tokenId>_<secret>`. The id is public (it is the credential's key in the
// registry, safe to log); the secret is 32 random bytes, base64url, and is shown once. Only a
// hash is stored.
import { createHash, randomBytes } from 'node:crypto';
import { ValidationError } from '@flotilla/errors';
import { hashesEqual } from './hashes-equal';

export const API_TOKEN_PREFIX = 'flt_';
/** 8 random bytes, hex: unique enough for a key the registry also checks for collisions. */
export const TOKEN_ID_BYTES = 8;
/** 256 bits: guessing is out of reach, which is what lets a fast hash protect it (below). */
export const TOKEN_SECRET_BYTES = 32;

/** A token's public id: `TOKEN_ID_BYTES` as lowercase hex. */
export const TOKEN_ID_PATTERN = /^[0-9a-f]{16}$/;
/** What `hashApiToken` returns: a SHA-256 as lowercase hex. */
export const TOKEN_HASH_PATTERN = /^[0-9a-f]{64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Length of `TOKEN_SECRET_BYTES` in unpadded base64url. */
const MIN_SECRET_LENGTH = Math.ceil((TOKEN_SECRET_BYTES * 4) / 3);
const FORMAT = `expected ${API_TOKEN_PREFIX}<16 lowercase hex characters>_<at least ${MIN_SECRET_LENGTH} base64url characters>`;

export interface GeneratedApiToken {
  /** Give to the user once; never store or log it. */
  readonly token: string;
  readonly tokenId: string;
  /** What the registry stores (`hashApiToken(token)`). */
  readonly hash: string;
}

export interface ParsedApiToken {
  readonly tokenId: string;
}

/**
 * SHA-256 of the whole token, hex. A slow password hash (bcrypt, scrypt, argon2) exists to make
 * guessing low-entropy passwords expensive; a 256-bit random secret cannot be guessed at any
 * speed, so a fast hash gives the same protection for a leaked table while the proxy can check a
 * token per request without spending milliseconds of CPU on it.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateApiToken(): GeneratedApiToken {
  const tokenId = randomBytes(TOKEN_ID_BYTES).toString('hex');
  const secret = randomBytes(TOKEN_SECRET_BYTES).toString('base64url');
  const token = `${API_TOKEN_PREFIX}${tokenId}_${secret}`;
  return { token, tokenId, hash: hashApiToken(token) };
}

function invalid(problem: string): ValidationError {
  // Never echo the text: whatever follows the id may be a real secret pasted in the wrong place.
  return new ValidationError(`token: ${problem}, ${FORMAT}`, { field: 'token' });
}

/** The token's public id, so the registry row can be found; throws a ValidationError otherwise. */
export function parseApiToken(text: string): ParsedApiToken {
  if (typeof text !== 'string') throw invalid(`expected a string, got ${typeof text}`);
  if (!text.startsWith(API_TOKEN_PREFIX)) throw invalid(`does not start with "${API_TOKEN_PREFIX}"`);
  const separator = text.indexOf('_', API_TOKEN_PREFIX.length);
  if (separator === -1) throw invalid('has no "_" between token id and secret');
  const tokenId = text.slice(API_TOKEN_PREFIX.length, separator);
  if (!TOKEN_ID_PATTERN.test(tokenId)) {
    throw invalid(`token id of ${tokenId.length} characters is not 16 lowercase hex characters`);
  }
  const secret = text.slice(separator + 1);
  if (secret.length < MIN_SECRET_LENGTH) {
    throw invalid(`secret of ${secret.length} characters is shorter than ${MIN_SECRET_LENGTH}`);
  }
  if (!BASE64URL.test(secret)) throw invalid('secret has characters outside A-Z a-z 0-9 - _');
  return { tokenId };
}

/** Whether `token` hashes to `storedHash`, compared in constant time. */
export function verifyApiToken(token: string, storedHash: string): boolean {
  return hashesEqual(hashApiToken(token), storedHash);
}
