import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { parseRouteDefinition, routeDefinitionSchema } from './index';

const MINIMAL = { name: 'orders-eu', source: 'orders', destinations: [{}] };

/** The message of the ValidationError that parsing `input` throws. */
function refusal(input: unknown): ValidationError {
  try {
    parseRouteDefinition(input);
  } catch (thrown) {
    if (thrown instanceof ValidationError) return thrown;
    throw thrown;
  }
  throw new Error('expected the definition to be refused');
}

function problems(input: unknown): string {
  return refusal(input).message;
}

describe('parseRouteDefinition: what a valid route becomes', () => {
  it('fills every default: destination topic = source, no steps, not keyed, <name>.dlq', () => {
    expect(parseRouteDefinition(MINIMAL)).toEqual({
      name: 'orders-eu',
      source: 'orders',
      destinations: [{ topic: 'orders' }],
      steps: [],
      keyed: false,
      deadLetterTopic: 'orders-eu.dlq',
    });
  });

  it('keeps a full definition as written, every step type included', () => {
    const full = {
      name: 'payments.v2_eu-1',
      source: 'payments',
      destinations: [{ topic: 'payments' }, { topic: 'payments.audit' }],
      steps: [
        { filter: 'value.amount > 100 and headers.region = "eu"' },
        { project: { keep: ['id', 'customer.id', 'amount'] } },
        { project: { drop: ['customer.email'] } },
        { rename: { 'customer.id': 'customerId' } },
        { headers: { set: { origin: 'router', amount: { expression: '$string(value.amount)' } }, drop: ['trace'] } },
        { key: { field: 'customerId' } },
        { reshape: '{ "id": value.id, "total": value.amount }' },
      ],
      keyed: true,
      deadLetterTopic: 'payments.failed',
    };
    expect(parseRouteDefinition(full)).toEqual(full);
    expect(routeDefinitionSchema.parse(full)).toEqual(full);
  });

  it('allows routing a topic onto a topic of the same name (fronting and consumer clusters differ)', () => {
    expect(parseRouteDefinition({ ...MINIMAL, destinations: [{ topic: 'orders' }] }).destinations).toEqual([{ topic: 'orders' }]);
  });

  it('accepts names and topics at their length limits', () => {
    const name = 'a'.repeat(100);
    const topic = 't'.repeat(249);
    expect(parseRouteDefinition({ name, source: topic, destinations: [{ topic: 'x' }] }).deadLetterTopic).toBe(`${name}.dlq`);
  });
});

describe('parseRouteDefinition: every problem is named by its JSON path', () => {
  it.each([
    ['not an object', 5, '(root): expected an object, got 5'],
    ['unknown key', { ...MINIMAL, sauce: 'x' }, '(root): unknown key "sauce", expected only name, source, destinations, steps, keyed, deadLetterTopic'],
    ['missing name', { source: 'a', destinations: [{}] }, 'name: missing, expected a string'],
    ['upper-case name', { ...MINIMAL, name: 'Orders' }, 'name: expected a route name of lowercase letters, digits, ".", "_" and "-" starting with a letter or digit, got "Orders"'],
    ['name starting with "-"', { ...MINIMAL, name: '-x' }, 'name: expected a route name'],
    ['name too long', { ...MINIMAL, name: 'a'.repeat(101) }, 'name: expected a route name of at most 100 characters, got 101'],
    ['source not a topic name', { ...MINIMAL, source: 'a b' }, 'source: invalid topic name "a b", expected only the characters a-z A-Z 0-9 . _ -'],
    ['source ".."', { ...MINIMAL, source: '..' }, 'source: invalid topic name "..", expected a name other than "." and ".."'],
    ['source too long', { ...MINIMAL, source: 't'.repeat(250) }, 'source: invalid topic name of 250 characters, expected at most 249'],
    ['source a number', { ...MINIMAL, source: 7 }, 'source: expected a string, got 7'],
    ['no destinations', { ...MINIMAL, destinations: [] }, 'destinations: expected at least one destination'],
    ['destinations not an array', { ...MINIMAL, destinations: { topic: 'x' } }, 'destinations: expected an array, got an object'],
    ['bad destination topic', { ...MINIMAL, destinations: [{}, { topic: '.' }] }, 'destinations[1].topic: invalid topic name "."'],
    ['unknown destination key', { ...MINIMAL, destinations: [{ topik: 'x' }] }, 'destinations[0]: unknown key "topik", expected only topic'],
    ['duplicate destination', { ...MINIMAL, destinations: [{ topic: 'x' }, { topic: 'x' }] }, 'destinations[1]: duplicate destination topic "x", already destinations[0]'],
    ['defaulted duplicate', { ...MINIMAL, destinations: [{ topic: 'orders' }, {}] }, 'destinations[1]: duplicate destination topic "orders" (the source topic, by default), already destinations[0]'],
    ['keyed not a boolean', { ...MINIMAL, keyed: 'yes' }, 'keyed: expected a boolean, got "yes"'],
    ['dead-letter topic = source', { ...MINIMAL, deadLetterTopic: 'orders', destinations: [{ topic: 'x' }] }, 'deadLetterTopic: "orders" is the source topic: dead-lettered records would be routed again'],
    ['dead-letter topic = destination', { ...MINIMAL, deadLetterTopic: 'x', destinations: [{ topic: 'x' }] }, 'deadLetterTopic: "x" is also destinations[0]: failed records would mix with routed ones'],
    ['default dead-letter topic = destination', { ...MINIMAL, destinations: [{ topic: 'orders-eu.dlq' }] }, 'deadLetterTopic: "orders-eu.dlq" (by default "<name>.dlq") is also destinations[0]'],
    ['bad dead-letter topic', { ...MINIMAL, deadLetterTopic: 'a/b' }, 'deadLetterTopic: invalid topic name "a/b"'],
    ['steps not an array', { ...MINIMAL, steps: { filter: 'true' } }, 'steps: expected an array, got an object'],
  ])('%s', (_case, input, expected) => {
    expect(problems(input)).toContain(expected);
  });

  it.each([
    ['a step that is not an object', ['true'], 'steps[0]: expected an object, got "true"'],
    ['a misspelt step type', [{ fliter: 'true' }], 'steps[0]: unknown key "fliter", expected only filter, project, rename, headers, key, reshape'],
    ['an empty step', [{}], 'steps[0]: expected exactly one of filter, project, rename, headers, key, reshape, got none'],
    ['two types in one step', [{ filter: 'true', reshape: 'value' }], 'steps[0]: expected exactly one of filter, project, rename, headers, key, reshape, got filter and reshape'],
    ['a filter syntax error', [{ project: { keep: ['a'] } }, { filter: 'value.amount >' }], 'steps[1].filter: JSONata syntax error at position 14: Unexpected end of expression'],
    ['an unterminated string', [{ filter: 'value.x = "eu' }], 'steps[0].filter: JSONata syntax error at position 13: String literal must be terminated by a matching quote'],
    ['an empty filter', [{ filter: '  ' }], 'steps[0].filter: expected a JSONata expression, got an empty string'],
    ['a filter that is not a string', [{ filter: true }], 'steps[0].filter: expected a string, got true'],
    ['an expression too long', [{ filter: `${'true and '.repeat(2_000)}true` }], 'steps[0].filter: expected an expression of at most 10000 characters'],
    ['a reshape syntax error', [{ reshape: '{ "a": }' }], 'steps[0].reshape: JSONata syntax error at position'],
    ['a projection with neither', [{ project: {} }], 'steps[0].project: expected exactly one of keep, drop, got neither'],
    ['a projection with both', [{ project: { keep: ['a'], drop: ['b'] } }], 'steps[0].project: expected exactly one of keep, drop, got both'],
    ['an empty keep list', [{ project: { keep: [] } }], 'steps[0].project.keep: expected at least one field path'],
    ['an empty path part', [{ project: { drop: ['a', 'b..c'] } }], 'steps[0].project.drop[1]: expected a dotted field path such as "customer.id" (no empty parts), got "b..c"'],
    ['a __proto__ path', [{ project: { keep: ['a.__proto__'] } }], 'steps[0].project.keep[0]: expected a field path without "__proto__"'],
    ['an unknown projection key', [{ project: { keeep: ['a'] } }], 'steps[0].project: unknown key "keeep", expected only keep, drop'],
    ['an empty rename', [{ rename: {} }], 'steps[0].rename: expected at least one "old.path": "new.path" entry'],
    ['a rename to itself', [{ rename: { a: 'a' } }], 'steps[0].rename.a: renames "a" to itself'],
    ['a rename to a bad path', [{ rename: { a: 'b.' } }], 'steps[0].rename.a: expected a dotted field path'],
    ['a rename from a bad path', [{ rename: { '.a': 'b' } }], 'steps[0].rename[".a"]: expected a dotted field path'],
    ['headers with nothing to do', [{ headers: {} }], 'steps[0].headers: expected headers to set or drop, got neither'],
    ['a header value that is a number', [{ headers: { set: { a: 5 } } }], 'steps[0].headers.set.a: expected a literal string or { "expression": "<JSONata>" }'],
    ['a header expression syntax error', [{ headers: { set: { a: { expression: 'value.(' } } } }], 'steps[0].headers.set.a.expression: JSONata syntax error at position'],
    ['an empty header name', [{ headers: { drop: [''] } }], 'steps[0].headers.drop[0]: expected a header name, got an empty string'],
    ['an empty header name to set', [{ headers: { set: { '': 'x' } } }], 'steps[0].headers.set[""]: expected a header name, got an empty string'],
    ['a header both set and dropped', [{ headers: { set: { a: 'x' }, drop: ['a'] } }], 'steps[0].headers.drop[0]: header "a" is both set and dropped'],
    ['an unknown headers key', [{ headers: { add: { a: 'x' } } }], 'steps[0].headers: unknown key "add", expected only set, drop'],
    ['a key step without field', [{ key: {} }], 'steps[0].key.field: missing, expected a string'],
    ['a key step with a bad field', [{ key: { field: '' } }], 'steps[0].key.field: expected a dotted field path'],
  ])('%s', (_case, steps, expected) => {
    expect(problems({ ...MINIMAL, steps })).toContain(expected);
  });

  it('lists every problem in one error, with the route name and the first field', () => {
    const error = refusal({ name: 'orders-eu', source: '..', destinations: [], steps: [{ filter: '(' }] });
    expect(error.code).toBe('VALIDATION');
    expect(error.retryable).toBe(false);
    expect(error.field).toBe('source');
    expect(error.message).toMatch(/^invalid route "orders-eu": source: .*; destinations: .*; steps\[0\]\.filter: /);
  });

  it('names the step field of a bad expression in `field`', () => {
    expect(refusal({ ...MINIMAL, steps: [{ key: { field: 'a' } }, { filter: 'a +' }] }).field).toBe('steps.1.filter');
  });

  it('shows a long bad value cut short', () => {
    const message = problems({ ...MINIMAL, name: 'X'.repeat(5_000) });
    expect(message.length).toBeLessThan(400);
  });
});
