import { createHash } from 'node:crypto';
import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken, hashesEqual, parseApiToken, verifyApiToken } from './index';

function parseError(text: string): ValidationError {
  try {
    parseApiToken(text);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('API tokens', () => {
  it('look like flt_<id>_<secret> with a 256-bit base64url secret', () => {
    const { token, tokenId, hash } = generateApiToken();
    expect(token).toMatch(/^flt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(`flt_${tokenId}_`)).toBe(true);
    expect(Buffer.from(token.slice(`flt_${tokenId}_`.length), 'base64url')).toHaveLength(32);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(parseApiToken(token)).toEqual({ tokenId });
  });

  it('are different every time', () => {
    const tokens = Array.from({ length: 200 }, () => generateApiToken());
    expect(new Set(tokens.map((t) => t.token)).size).toBe(200);
    expect(new Set(tokens.map((t) => t.tokenId)).size).toBe(200);
  });

  it('parse the id even when the secret itself contains "_"', () => {
    const token = `flt_0123456789abcdef_${'_'.repeat(10)}${'a'.repeat(33)}`;
    expect(parseApiToken(token)).toEqual({ tokenId: '0123456789abcdef' });
  });

  it('verify against the stored hash only for the very same token', () => {
    const { token, hash } = generateApiToken();
    expect(verifyApiToken(token, hash)).toBe(true);
    expect(verifyApiToken(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, hash)).toBe(false);
    expect(verifyApiToken(generateApiToken().token, hash)).toBe(false);
    expect(hashApiToken(token)).toBe(hash);
  });

  it('say what is wrong with a malformed token without echoing the secret', () => {
    const secret = 'S3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3t!';
    const cases: [string, string][] = [
      ['Bearer abc', 'does not start with "flt_"'],
      [`flt_${secret}`, 'has no "_" between token id and secret'],
      [`flt_XYZ_${secret}`, 'token id of 3 characters is not 16 lowercase hex characters'],
      ['flt_0123456789abcdef_tooShort', 'secret of 8 characters is shorter than 43'],
      [`flt_0123456789abcdef_${secret}`, 'secret has characters outside A-Z a-z 0-9 - _'],
      [`flt_0123456789abcdef_${'a'.repeat(43)}\n`, 'secret has characters outside A-Z a-z 0-9 - _'],
    ];
    for (const [text, problem] of cases) {
      const error = parseError(text);
      expect(error.field).toBe('token');
      expect(error.message).toBe(`token: ${problem}, expected flt_<16 lowercase hex characters>_<at least 43 base64url characters>`);
      expect(error.message).not.toContain('S3cr3t');
    }
  });
});

describe('hashesEqual', () => {
  it('compares whole hashes, including ones of different length', () => {
    const a = hashApiToken('a');
    expect(hashesEqual(a, hashApiToken('a'))).toBe(true);
    expect(hashesEqual(a, hashApiToken('b'))).toBe(false);
    expect(hashesEqual(a, a.slice(0, -1))).toBe(false);
    expect(hashesEqual('', '')).toBe(true);
  });
});
