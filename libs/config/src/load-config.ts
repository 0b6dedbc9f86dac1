// The one place that reads process.env. Each app declares a zod schema of the variables it
// uses and gets back a typed, frozen object; a bad value stops start-up with one line per
// variable naming it, its value and what was expected.
import { z } from 'zod';
import { ValidationError } from '@flotilla/errors';

export function loadConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.infer<Schema>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = env[name];
      return `${name}=${value === undefined ? '(unset)' : JSON.stringify(value)}: ${issue.message}`;
    });
    throw new ValidationError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return Object.freeze(result.data);
}

/** A TCP port in an environment variable. */
export const portVar = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

/** A comma-separated list in an environment variable. */
export const listVar = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );

export const logLevelVar = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info');

/**
 * `pretty`: one readable line per entry; `json`: JSON lines; `auto` (default): pretty when stdout
 * is a terminal. A supervisor that pipes a service's output to a terminal sets `pretty`.
 */
export const logFormatVar = z.enum(['auto', 'pretty', 'json']).default('auto');

/** The logger's `pretty` option for a LOG_FORMAT value (undefined: decide by the terminal). */
export function prettyLogs(format: 'auto' | 'pretty' | 'json'): boolean | undefined {
  return format === 'auto' ? undefined : format === 'pretty';
}
