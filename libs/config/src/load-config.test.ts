import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listVar, loadConfig, logFormatVar, portVar, prettyLogs } from './load-config';

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

  it('reads LOG_FORMAT: auto decides by the terminal, pretty and json force it, anything else is refused by name', () => {
    const logs = z.object({ LOG_FORMAT: logFormatVar });

    expect(prettyLogs(loadConfig(logs, {}).LOG_FORMAT)).toBeUndefined();
    expect(prettyLogs(loadConfig(logs, { LOG_FORMAT: 'pretty' }).LOG_FORMAT)).toBe(true);
    expect(prettyLogs(loadConfig(logs, { LOG_FORMAT: 'json' }).LOG_FORMAT)).toBe(false);
    expect(() => loadConfig(logs, { LOG_FORMAT: 'colour' })).toThrow(/LOG_FORMAT="colour"/);
  });
});
