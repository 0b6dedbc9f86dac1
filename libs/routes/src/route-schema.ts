// The route definition's schema: types, required keys, no unknown keys, Kafka's topic-name
// rules, JSONata syntax, and the rules that need the whole route (duplicate destinations, a
// dead-letter topic that is not also a source or destination). Output: a RouteDefinition with
// every default filled in.
import { showValue, strictObject } from '@flotilla/errors';
import { topicNameProblem } from '@flotilla/mapping';
import { z } from 'zod';
import { expressionProblem } from './expression';
import { fieldPathProblem } from './field-path';
import { STEP_TYPES, type RouteDefinition, type RouteStep } from './route-definition';

export const MAX_ROUTE_NAME_LENGTH = 100;
export const MAX_HEADER_NAME_LENGTH = 1_000;
export const DEAD_LETTER_SUFFIX = '.dlq';

const ROUTE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** A string that must pass `problem`; the message is the problem itself. */
function checkedString(problem: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const found = problem(value);
    if (found !== undefined) ctx.addIssue({ code: 'custom', message: found, input: value });
  });
}

const routeName = checkedString((name) => {
  if (name.length > MAX_ROUTE_NAME_LENGTH) {
    return `expected a route name of at most ${MAX_ROUTE_NAME_LENGTH} characters, got ${name.length}`;
  }
  if (!ROUTE_NAME.test(name)) {
    return `expected a route name of lowercase letters, digits, ".", "_" and "-" starting with a letter or digit, got ${showValue(name)}`;
  }
  return undefined;
});

const topicName = checkedString(topicNameProblem);
const fieldPath = checkedString(fieldPathProblem);
const expression = checkedString(expressionProblem);

function headerNameProblem(name: string): string | undefined {
  if (name === '') return 'expected a header name, got an empty string';
  if (name.length > MAX_HEADER_NAME_LENGTH) {
    return `expected a header name of at most ${MAX_HEADER_NAME_LENGTH} characters, got ${name.length}`;
  }
  if (name === '__proto__') return 'expected a header name other than "__proto__", which JavaScript objects reserve';
  return undefined;
}
const headerName = checkedString(headerNameProblem);

const fieldPaths = z.array(fieldPath).min(1, { error: 'expected at least one field path' });

const projectSpec = strictObject({ keep: fieldPaths.exactOptional(), drop: fieldPaths.exactOptional() }).superRefine(
  (spec, ctx) => {
    const given = Object.keys(spec).length;
    if (given !== 1) {
      ctx.addIssue({ code: 'custom', message: `expected exactly one of keep, drop, got ${given === 0 ? 'neither' : 'both'}` });
    }
  },
);

// zod reports a bad record key only as "invalid key"; checking keys here names the problem.
function checkKeys(keys: readonly string[], problem: (key: string) => string | undefined, ctx: z.RefinementCtx, prefix: readonly string[] = []): void {
  for (const key of keys) {
    const found = problem(key);
    if (found !== undefined) ctx.addIssue({ code: 'custom', path: [...prefix, key], message: found });
  }
}

const renameSpec = z.record(z.string(), fieldPath).superRefine((spec, ctx) => {
  const entries = Object.entries(spec);
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'expected at least one "old.path": "new.path" entry' });
  checkKeys(Object.keys(spec), fieldPathProblem, ctx);
  for (const [from, to] of entries) {
    if (from === to) ctx.addIssue({ code: 'custom', path: [from], message: `renames "${from}" to itself` });
  }
});

const headerValue = z.union([z.string(), strictObject({ expression })], {
  error: 'expected a literal string or { "expression": "<JSONata>" }',
});

const headersSpec = strictObject({
  set: z.record(z.string(), headerValue).exactOptional(),
  drop: z.array(headerName).exactOptional(),
}).superRefine((spec, ctx) => {
  const set = Object.keys(spec.set ?? {});
  checkKeys(set, headerNameProblem, ctx, ['set']);
  if (set.length === 0 && (spec.drop ?? []).length === 0) {
    ctx.addIssue({ code: 'custom', message: 'expected headers to set or drop, got neither' });
  }
  for (const [i, name] of (spec.drop ?? []).entries()) {
    if (set.includes(name)) {
      ctx.addIssue({ code: 'custom', path: ['drop', i], message: `header "${name}" is both set and dropped` });
    }
  }
});

// One schema with every step type optional, then "exactly one", rather than a union: a misspelt
// or doubled key gets a message naming the step types instead of zod's "invalid input".
const stepSchema = strictObject({
  filter: expression.exactOptional(),
  project: projectSpec.exactOptional(),
  rename: renameSpec.exactOptional(),
  headers: headersSpec.exactOptional(),
  key: strictObject({ field: fieldPath }).exactOptional(),
  reshape: expression.exactOptional(),
})
  .check((ctx) => {
    // A misspelt key is reported as unknown already; "none" would only repeat it.
    if (ctx.issues.some((issue) => issue.code === 'unrecognized_keys' && !issue.path?.length)) return;
    const given = Object.keys(ctx.value);
    if (given.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `expected exactly one of ${STEP_TYPES.join(', ')}, got ${given.length === 0 ? 'none' : given.join(' and ')}`,
      });
    }
  })
  .transform((step) => step as RouteStep);

export const routeDefinitionSchema = strictObject({
  name: routeName,
  source: topicName,
  destinations: z
    .array(strictObject({ topic: topicName.exactOptional() }))
    .min(1, { error: 'expected at least one destination' }),
  steps: z.array(stepSchema).default([]),
  keyed: z.boolean().default(false),
  deadLetterTopic: topicName.exactOptional(),
}).transform((route, ctx): RouteDefinition => {
  const destinations = route.destinations.map(({ topic }) => ({ topic: topic ?? route.source }));
  const firstIndex = new Map<string, number>();
  for (const [i, { topic }] of destinations.entries()) {
    const earlier = firstIndex.get(topic);
    if (earlier === undefined) firstIndex.set(topic, i);
    else {
      ctx.addIssue({
        code: 'custom',
        path: ['destinations', i],
        message: `duplicate destination topic "${topic}"${route.destinations[i]?.topic === undefined ? ' (the source topic, by default)' : ''}, already destinations[${earlier}]`,
      });
    }
  }
  const deadLetterTopic = route.deadLetterTopic ?? `${route.name}${DEAD_LETTER_SUFFIX}`;
  const named = route.deadLetterTopic === undefined ? ` (by default "<name>${DEAD_LETTER_SUFFIX}")` : '';
  if (deadLetterTopic === route.source) {
    ctx.addIssue({
      code: 'custom',
      path: ['deadLetterTopic'],
      message: `"${deadLetterTopic}"${named} is the source topic: dead-lettered records would be routed again`,
    });
  }
  const asDestination = firstIndex.get(deadLetterTopic);
  if (asDestination !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['deadLetterTopic'],
      message: `"${deadLetterTopic}"${named} is also destinations[${asDestination}]: failed records would mix with routed ones`,
    });
  }
  return { name: route.name, source: route.source, destinations, steps: route.steps, keyed: route.keyed, deadLetterTopic };
});

/** A route as written: what has a default may be left out. */
export type RouteDefinitionInput = z.input<typeof routeDefinitionSchema>;
