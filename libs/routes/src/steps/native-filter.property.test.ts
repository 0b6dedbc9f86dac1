// The native filter against JSONata itself: random expressions of the native grammar over random
// records (arrays, nested objects, missing fields, nulls, numbers beyond a double, values that are
// not JSON, keys and headers of every shape) must end the same way through the route (pass,
// filtered, or failed with the same error) as through JSONata alone.
import { showValue } from '@flotilla/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_STEP_ERROR_LENGTH } from '../compile-route';
import { boundText } from '../bound-text';
import { compileExpression, describeThrown } from '../expression';
import { RecordState } from '../record-state';
import type { HeaderEntry, RouteRecord } from '../route-record';
import { routeOf } from '../test-support/route-fixtures';
import { evaluateOnRecord } from './evaluate-on-record';
import { compileNativeFilter, UNDECIDED } from './native-filter';

// Few names, so that paths often find what records hold; the rest are JavaScript's own.
const FIELD_NAMES = ['a', 'a', 'a', 'b', 'b', 'c', 'constructor', '__proto__', 'toString', '_jsonata_function', '_jsonata_lambda'];
const HEADER_NAMES = ['a', 'b', 'x'];

const name = fc.constantFrom(...FIELD_NAMES);
const literal = fc.constantFrom('"a"', '""', '"1"', '"true"', '"b"', '0', '1', '-1', '1.5', '100', '1e300', 'true', 'false', 'null');
const path = fc.oneof(
  fc.array(name, { maxLength: 3 }).map((names) => ['value', ...names].join('.')),
  fc.array(name, { maxLength: 1 }).map((names) => ['key', ...names].join('.')),
  fc.array(fc.constantFrom(...HEADER_NAMES, ...FIELD_NAMES), { minLength: 0, maxLength: 2 }).map((names) => ['headers', ...names].join('.')),
);
const operator = fc.constantFrom('=', '!=', '<', '<=', '>', '>=', 'and', 'or');

const binary = (operand: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(operand, operator, operand, fc.boolean()).map(([lhs, op, rhs, parens]) => (parens ? `(${lhs} ${op} ${rhs})` : `${lhs} ${op} ${rhs}`));

const operand: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, literal, path, binary(tie('expr'))),
})).expr;

// Mostly operators at the top, as filters are written; bare paths and literals now and then.
const expression = fc.oneof({ weight: 1, arbitrary: operand }, { weight: 4, arbitrary: binary(operand) });

// JSON text built by hand, so that it may hold "__proto__" keys, repeated keys and 1e400.
const jsonText: fc.Arbitrary<string> = fc.letrec<{ json: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false', '0', '1', '-1', '-0', '1.5', '100', '2', '1e400', '-1e400', '""', '"a"', '"b"', '"1"', '"true"', '"é"'),
    fc.array(tie('json'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(name, tie('json')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([field, item]) => `${JSON.stringify(field)}:${item}`).join(',')}}`),
    fc.constantFrom('{"_jsonata_function":true,"a":1}', '{"a":{"_jsonata_lambda":true,"b":1}}'),
  ),
})).json;

const value = fc.oneof(
  { weight: 8, arbitrary: jsonText.map((text) => Buffer.from(text)) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(Buffer.from('{"a":'), Buffer.from('nope'), Buffer.from([0x7b, 0xff, 0x7d])) },
);

const text = fc.constantFrom('a', 'b', '1', '', 'true');
const textPart = fc.oneof(text, text.map((part) => Buffer.from(part)));
// Kafka allows a header without a value, which KafkaJS hands over as null (HeaderEntry omits it).
type WireHeaderEntry = HeaderEntry | null | (Buffer | string | null)[];
const headerEntry: fc.Arbitrary<WireHeaderEntry> = fc.oneof(
  { weight: 6, arbitrary: textPart },
  { weight: 2, arbitrary: fc.array(textPart, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom<WireHeaderEntry>(null, [Buffer.from('a'), null]) },
);

const record: fc.Arbitrary<RouteRecord> = fc.record({
  key: fc.oneof(fc.constant(null), text.map((part) => Buffer.from(part)), fc.constant(Buffer.from([0xff]))),
  value,
  headers: fc.dictionary(fc.constantFrom(...HEADER_NAMES), headerEntry, { maxKeys: 3 }).map((headers) => headers as unknown as Record<string, HeaderEntry>),
  timestamp: fc.constant('1700000000000'),
});

type Ending = { kind: 'pass' | 'filtered' } | { kind: 'failed'; error: string };

/** What the filter step did before the native path: JSONata for every record. */
async function throughJsonata(source: string, input: RouteRecord): Promise<Ending> {
  try {
    const result = await evaluateOnRecord(compileExpression(source), new RecordState(input));
    if (result === true) return { kind: 'pass' };
    if (result === false) return { kind: 'filtered' };
    return { kind: 'failed', error: boundText(`the filter gave ${showValue(result)}, expected true or false`, MAX_STEP_ERROR_LENGTH) };
  } catch (thrown) {
    return { kind: 'failed', error: boundText(describeThrown(thrown), MAX_STEP_ERROR_LENGTH) };
  }
}

async function throughRoute(source: string, input: RouteRecord): Promise<Ending> {
  const outcome = await routeOf([{ filter: source }]).apply(input);
  if (outcome.kind === 'failed') return { kind: 'failed', error: outcome.error };
  if (outcome.kind === 'pass') expect(outcome.record).toBe(input);
  return { kind: outcome.kind };
}

describe('native filter against JSONata (property)', () => {
  it('ends every record as JSONata does, and decides a good part of them itself', async () => {
    const decided = { true: 0, false: 0, other: 0 };
    let records = 0;
    await fc.assert(
      fc.asyncProperty(expression, fc.array(record, { minLength: 1, maxLength: 4 }), async (source, inputs) => {
        const native = compileNativeFilter(compileExpression(source));
        expect(native, `${source} is in the native grammar`).toBeDefined();
        for (const input of inputs) {
          records++;
          expect(await throughRoute(source, input)).toEqual(await throughJsonata(source, input));
          // Wherever the native path answers, JSONata gives that very value, without an error.
          const answer = native?.(new RecordState(input));
          if (answer === UNDECIDED) continue;
          decided[answer === true ? 'true' : answer === false ? 'false' : 'other']++;
          const state = new RecordState(input);
          expect(Object.is(await compileExpression(source).evaluate(state.view()), answer)).toBe(true);
          expect(state.valueError).toBeUndefined();
        }
      }),
      { numRuns: 10_000 },
    );
    // A native path that gave up on everything would pass the comparison above vacuously.
    expect((decided.true + decided.false + decided.other) / records).toBeGreaterThan(0.35);
    expect(Math.min(decided.true, decided.false, decided.other)).toBeGreaterThan(records / 20);
  }, 120_000);
});
