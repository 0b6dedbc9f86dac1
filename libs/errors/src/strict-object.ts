// `z.strictObject` whose unknown-key message lists the keys that are allowed, so a misspelt
// field ("efect") is reported with the spelling that was meant instead of being ignored.
import { z } from 'zod';

export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys
            .map((key) => JSON.stringify(key))
            .join(', ')}, expected only ${allowed}`
        : undefined,
  });
}
