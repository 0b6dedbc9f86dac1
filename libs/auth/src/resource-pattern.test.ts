import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { compileResourcePattern, isResourcePattern, resourcePatternProblem } from './index';

const cases: readonly [pattern: string, resource: string, matches: boolean][] = [
  ['/topics/orders', '/topics/orders', true],
  ['/topics/orders', '/topics/orders2', false],
  ['/topics/orders', '/topics/orders/x', false],
  // `.` is literal, not "any character".
  ['/topics/a.b', '/topics/axb', false],
  ['/topics/orders.*', '/topics/orders.eu', true],
  ['/topics/orders.*', '/topics/orders.', true],
  ['/topics/orders.*', '/topics/orders', false],
  ['/topics/orders.*', '/topics/orders.eu/x', false],
  ['/topics/*', '/topics/anything', true],
  ['/topics/*', '/topics/a/b', false],
  ['/topics/*.audit', '/topics/payments.audit', true],
  ['/topics/*.audit', '/topics/payments.audit.v2', false],
  ['/topics/**', '/topics/a', true],
  ['/topics/**', '/topics/a/b/c', true],
  ['/topics/**', '/topics', false],
  ['/**', '/topics/a', true],
  ['/topics/pay**', '/topics/payments/x', true],
  ['/*/orders', '/topics/orders', true],
  ['/*/orders', '/topics/x/orders', false],
];

describe('resource patterns', () => {
  it.each(cases)('%s against %s → %s', (pattern, resource, expected) => {
    expect(compileResourcePattern(pattern).matches(resource)).toBe(expected);
  });

  it('knows a pattern without wildcards is exact', () => {
    expect(compileResourcePattern('/topics/orders').exact).toBe(true);
    expect(compileResourcePattern('/topics/orders.*').exact).toBe(false);
  });

  it('says what is wrong with an invalid pattern', () => {
    expect(resourcePatternProblem('')).toBe('is empty');
    expect(resourcePatternProblem('topics/x')).toBe('does not start with "/"');
    expect(resourcePatternProblem('/topics//x')).toBe('has an empty segment 2');
    expect(resourcePatternProblem('/topics/')).toBe('has an empty segment 2');
    expect(resourcePatternProblem('/')).toBe('has an empty segment 1');
    expect(resourcePatternProblem('/topics/..')).toBe('has a ".." segment');
    expect(resourcePatternProblem('/topics/a b')).toBe('has segment "a b" with characters outside A-Z a-z 0-9 . _ - *');
    expect(resourcePatternProblem('/topics/(a|b)')).toContain('characters outside');
    expect(resourcePatternProblem('/topics/***')).toBe('has "***" in segment "***" (only * or **)');
    expect(resourcePatternProblem(`/${'a'.repeat(1024)}`)).toBe('has 1025 characters, more than 1024');
    expect(isResourcePattern('/topics/orders.*')).toBe(true);
  });

  it('throws a ValidationError naming the field, the value and the expected syntax', () => {
    try {
      compileResourcePattern('/topics//x', 'policies.3.resource');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'policies.3.resource' });
      expect((error as Error).message).toMatch(
        /^policies\.3\.resource: resource pattern "\/topics\/\/x" has an empty segment 2; expected a pattern such as "\/topics\/orders\.\*"/,
      );
    }
  });
});
