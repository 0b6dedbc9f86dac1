import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { strictObject } from './strict-object';

describe('strictObject', () => {
  it('names a misspelt key and the keys that were expected', () => {
    const result = strictObject({ effect: z.string().optional(), verb: z.string() }).safeParse({ efect: 'allow', verb: 'read' });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['unknown key "efect", expected only effect, verb']);
  });
});
