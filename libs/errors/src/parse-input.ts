// Turns a zod failure into the ValidationError callers see: every problem names the field, the
// value that was given and what was expected, so the fix is obvious without reading code.
import { ValidationError } from './flotilla-error';
import type { z } from 'zod';

/**
 * Parses `input` or throws a ValidationError about `subject` (`cluster`, `cluster "x"`).
 * `field` names the input when it is one field of a larger request (`state`).
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  subject: string,
  field?: string,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const prefix = field === undefined ? [] : [field];
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.message;
    const path = [...prefix, ...issue.path].join('.');
    const given = show(valueAt(input, issue.path));
    return `${path ? `${path}: ` : ''}${issue.message}, got ${given}`;
  });
  const first = result.error.issues[0];
  const firstField = first ? [...prefix, ...first.path].join('.') : '';
  throw new ValidationError(`invalid ${subject}: ${problems.join('; ')}`, {
    cause: result.error,
    ...(firstField ? { field: firstField } : {}),
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
