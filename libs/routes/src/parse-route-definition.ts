// Unknown JSON → a validated RouteDefinition, or one ValidationError listing every problem with
// its JSON path (`steps[1].filter: JSONata syntax error at position 7: ...`).
import { showValue, ValidationError } from '@flotilla/errors';
import { fromZodIssues } from '@flotilla/mapping';
import type { RouteDefinition } from './route-definition';
import { routeDefinitionSchema } from './route-schema';

export function parseRouteDefinition(input: unknown): RouteDefinition {
  // reportInput lets the messages show the offending value.
  const result = routeDefinitionSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const problems = fromZodIssues(result.error.issues, []).map(({ path, message }) => `${path}: ${message}`);
  const name = typeof input === 'object' && input !== null ? (input as { name?: unknown }).name : undefined;
  const subject = typeof name === 'string' ? `route ${showValue(name)}` : 'route';
  const first = result.error.issues[0];
  const field = first?.path.map(String).join('.');
  throw new ValidationError(`invalid ${subject}: ${problems.join('; ')}`, {
    cause: result.error,
    ...(field ? { field } : {}),
  });
}

