// Turns zod's issues into mapping issues in the same "path: found, expected" style as the
// semantic checks, so a reader sees one voice whichever layer caught the problem.
import type { z } from 'zod';
import { showValue } from '@flotilla/errors';
import type { MappingIssue } from './errors';
import { formatPath, type PathSegment } from './json-path';

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  object: 'an object',
  record: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
};

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      return issue.input === undefined
        ? `missing, expected ${expected}`
        : `expected ${expected}, got ${showValue(issue.input)}`;
    }
    case 'invalid_value': {
      const expected = `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
      return issue.input === undefined
        ? `missing, expected ${expected}`
        : `expected ${expected}, got ${showValue(issue.input)}`;
    }
    default:
      // unrecognized_keys carries its message from the schema, which knows the allowed keys.
      return issue.message;
  }
}

export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PathSegment[],
): MappingIssue[] {
  return issues.map((issue) => ({
    path: formatPath([
      ...prefix,
      ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
    ]),
    message: describeIssue(issue),
  }));
}

/** Parses one section, adding its issues (with `prefix` on their paths) to `issues`. */
export function parseSection<T>(
  schema: z.ZodType<T>,
  value: unknown,
  prefix: readonly PathSegment[],
  issues: MappingIssue[],
): T | undefined {
  // reportInput lets the messages show the offending value.
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  issues.push(...fromZodIssues(result.error.issues, prefix));
  return undefined;
}
