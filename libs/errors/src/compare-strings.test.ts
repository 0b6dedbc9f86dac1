import { describe, expect, it } from 'vitest';
import { compareStrings } from './compare-strings';

describe('compareStrings', () => {
  it('orders by code unit, whatever the locale', () => {
    expect(['b', 'a', 'B', 'é', 'e'].sort(compareStrings)).toEqual(['B', 'a', 'b', 'e', 'é']);
  });
});
