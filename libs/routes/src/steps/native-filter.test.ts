import { describe, expect, it } from 'vitest';
import { compileExpression } from '../expression';
import { RecordState } from '../record-state';
import type { RouteRecord } from '../route-record';
import { bytesRecord, jsonRecord, routeOf } from '../test-support/route-fixtures';
import { compileNativeFilter, UNDECIDED } from './native-filter';

const ORDER = { amount: 250, region: 'eu', vip: true, note: null, zero: 0, empty: '', customer: { tier: 'gold' }, lines: [{ sku: 'a' }] };

/** The native answer for `source` on `input`, checked to be what JSONata itself gives. */
async function answer(source: string, input: RouteRecord = jsonRecord(ORDER)): Promise<unknown> {
  const expression = compileExpression(source);
  const native = compileNativeFilter(expression);
  if (native === undefined) throw new Error(`${source} is not in the native grammar`);
  const result = native(new RecordState(input));
  if (result !== UNDECIDED) expect(await expression.evaluate(new RecordState(input).view())).toBe(result);
  return result;
}

describe('native filter', () => {
  it('compares with = and != by type and value, false when a side is missing', async () => {
    expect(await answer('value.region = "eu"')).toBe(true);
    expect(await answer('value.amount = "250"')).toBe(false);
    expect(await answer('value.note = null')).toBe(true);
    expect(await answer('value.missing = null')).toBe(false);
    expect(await answer('value.missing != 1')).toBe(false);
    expect(await answer('value.amount != 250')).toBe(false);
    expect(await answer('value.vip != false')).toBe(true);
  });

  it('orders numbers with numbers and strings with strings, nothing when a side is missing', async () => {
    expect(await answer('value.amount > 100')).toBe(true);
    expect(await answer('value.amount >= 250')).toBe(true);
    expect(await answer('value.amount < 250')).toBe(false);
    expect(await answer('value.amount <= 249.5')).toBe(false);
    expect(await answer('value.region < "f"')).toBe(true);
    expect(await answer('value.missing < 1')).toBeUndefined();
  });

  it('leaves to JSONata the comparisons it reports as errors', async () => {
    expect(await answer('value.amount > "100"')).toBe(UNDECIDED);
    expect(await answer('value.note < 1')).toBe(UNDECIDED);
    expect(await answer('value.vip >= true')).toBe(UNDECIDED);
    const outcome = await routeOf([{ filter: 'value.amount > "100"' }]).apply(jsonRecord(ORDER));
    expect(outcome).toMatchObject({ kind: 'failed', error: expect.stringContaining('T2009') as unknown });
  });

  it('casts and/or operands as JSONata does and stops at the first deciding one', async () => {
    expect(await answer('value.region and value.amount')).toBe(true);
    expect(await answer('value.empty or value.zero')).toBe(false);
    expect(await answer('value.note or value.missing')).toBe(false);
    expect(await answer('value.vip and (value.amount > 1000 or key = "k")', jsonRecord(ORDER, { key: Buffer.from('k') }))).toBe(true);
    // The value is never read (nor parsed, nor found not to be JSON) once the key decided.
    expect(await answer('key = "k" or value.amount > 1', bytesRecord('not json', { key: Buffer.from('k') }))).toBe(true);
    expect(await answer('value.customer and true')).toBe(UNDECIDED); // an object's cast: JSONata's
  });

  it('reads key and header texts, and leaves arrays to JSONata, which maps over them', async () => {
    const input = jsonRecord(ORDER, { key: Buffer.from('k-1'), headers: { region: Buffer.from('eu'), tag: ['a', 'b'] } });
    expect(await answer('key = "k-1" and headers.region = "eu"', input)).toBe(true);
    expect(await answer('headers.absent = "eu"', input)).toBe(false);
    expect(await answer('headers.tag = "a"', input)).toBe(UNDECIDED);
    expect(await answer('value.lines.sku = "a"')).toBe(UNDECIDED);
    expect(await routeOf([{ filter: 'value.lines.sku = "a"' }]).apply(jsonRecord(ORDER))).toMatchObject({ kind: 'pass' });
  });

  it('gives a bare path or literal as it is, which the filter step then judges', async () => {
    expect(await answer('value.vip')).toBe(true);
    expect(await answer('value.customer.tier')).toBe('gold');
    expect(await answer('(false)')).toBe(false);
    expect(await routeOf([{ filter: 'value.customer.tier' }]).apply(jsonRecord(ORDER))).toMatchObject({
      kind: 'failed',
      error: 'the filter gave "gold", expected true or false',
    });
  });

  it('is not compiled for anything beyond paths, literals, comparisons, and, or and parentheses', () => {
    for (const source of ['$exists(value.a)', 'value.a[0] = 1', 'value.* = 1', 'value.a in [1]', '-value.a > 1', 'value.a + 1 > 2', 'other.a = 1', '$.value.a = 1', '(1; true)', 'value.a[] = 1']) {
      expect(compileNativeFilter(compileExpression(source)), source).toBeUndefined();
    }
  });
});
