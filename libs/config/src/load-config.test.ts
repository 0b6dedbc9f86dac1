import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listVar, loadConfig, portVar } from './load-config';

const schema = z.object({ PORT: portVar(8080), SEEDS: listVar('a:1'), NAME: z.string().min(1) });

describe('loadConfig', () => {
  it('applies defaults and freezes the result', () => {
    const config = loadConfig(schema, { NAME: 'x' });
    expect(config).toEqual({ PORT: 8080, SEEDS: ['a:1'], NAME: 'x' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable with its value', () => {
    expect(() => loadConfig(schema, { PORT: 'eighty', SEEDS: ' b:2 , c:3 ' })).toThrow(/PORT="eighty"[\s\S]*NAME=\(unset\)/);
  });

  it('splits lists and trims items', () => {
    expect(loadConfig(schema, { NAME: 'n', SEEDS: ' b:2 , c:3 ,' }).SEEDS).toEqual(['b:2', 'c:3']);
  });
});
