import { describe, expect, it } from 'vitest';
import { showValue } from './show-value';

describe('showValue', () => {
  it('shows scalars as JSON and containers by kind, so a message never quotes a whole document', () => {
    expect([undefined, null, [1], { a: 1 }, 'x', 3, true].map(showValue)).toEqual(['nothing', 'null', 'an array', 'an object', '"x"', '3', 'true']);
  });

  it('cuts a long string at 80 characters and says how long it was', () => {
    expect(showValue('a'.repeat(100))).toBe(`"${'a'.repeat(80)}"… (100 characters)`);
  });
});
