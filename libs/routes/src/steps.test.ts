import { describe, expect, it } from 'vitest';
import { MAX_STEP_ERROR_LENGTH } from './index';
import { bytesRecord, jsonRecord, passed, passedValue, routeOf } from './test-support/route-fixtures';

const ORDER = { id: 'o-1', amount: 250, customer: { id: 'c-9', email: 'x@example.com', tier: 'gold' }, lines: [{ sku: 'a' }] };

describe('filter', () => {
  const eu = routeOf([{ filter: 'value.amount > 100 and headers.region = "eu"' }]);

  it('keeps a record for which the predicate is true, bytes untouched', async () => {
    const input = jsonRecord(ORDER, { headers: { region: Buffer.from('eu') } });
    expect(await eu.apply(input)).toEqual({ kind: 'pass', record: input });
  });

  it('drops a record for which it is false', async () => {
    expect(await eu.apply(jsonRecord({ ...ORDER, amount: 5 }, { headers: { region: 'eu' } }))).toEqual({ kind: 'filtered', step: 0 });
    expect(await eu.apply(jsonRecord(ORDER, { headers: { region: 'us' } }))).toEqual({ kind: 'filtered', step: 0 });
  });

  it('fails a record for which it is neither true nor false', async () => {
    expect(await routeOf([{ filter: 'value.missing' }]).apply(jsonRecord(ORDER))).toEqual({
      kind: 'failed',
      step: 0,
      stepType: 'filter',
      error: 'the filter gave nothing, expected true or false',
    });
    expect(await routeOf([{ filter: 'value.id' }]).apply(jsonRecord(ORDER))).toMatchObject({ error: 'the filter gave "o-1", expected true or false' });
  });

  it('fails a record whose value is not JSON when the predicate reads it', async () => {
    expect(await eu.apply(bytesRecord('{"amount": 1', { headers: { region: 'eu' } }))).toMatchObject({
      kind: 'failed',
      step: 0,
      stepType: 'filter',
      error: expect.stringMatching(/^the value \(12 bytes\) is not JSON: /) as unknown,
    });
  });

  it('sees the key as text and several values of a header as an array', async () => {
    const route = routeOf([{ filter: 'key = "k-1" and headers.tag[1] = "two"' }]);
    const record = bytesRecord(null, { key: Buffer.from('k-1'), headers: { tag: [Buffer.from('one'), 'two'], gone: undefined } });
    expect(await route.apply(record)).toMatchObject({ kind: 'pass' });
  });

  it('fails, not throws, on an evaluation error', async () => {
    expect(await routeOf([{ filter: 'value.amount + "x" > 1' }]).apply(jsonRecord(ORDER))).toMatchObject({
      kind: 'failed',
      stepType: 'filter',
      error: expect.stringContaining('JSONata T2002') as unknown,
    });
  });

  it('fails a record whose predicate recurses without end, deep or in a tail loop', async () => {
    const deep = await routeOf([{ filter: '($f := function($n) { 1 + $f($n + 1) }; $f(0) > 0)' }]).apply(jsonRecord(ORDER));
    expect(deep).toMatchObject({ kind: 'failed', stepType: 'filter', error: expect.stringContaining('JSONata D1011') as unknown });
    const loop = await routeOf([{ filter: '($f := function($n) { $f($n + 1) }; $f(0))' }]).apply(jsonRecord(ORDER));
    expect(loop).toMatchObject({ kind: 'failed', stepType: 'filter', error: expect.stringContaining('JSONata D1012') as unknown });
  });
});

describe('project', () => {
  it('keep: only the listed fields, with the objects that lead to them', async () => {
    const value = await passedValue(routeOf([{ project: { keep: ['id', 'customer.id', 'customer.nope', 'nope.x'] } }]).apply(jsonRecord(ORDER)));
    expect(value).toEqual({ id: 'o-1', customer: { id: 'c-9' } });
  });

  it('keep: a whole field wins over a part of it, in either order', async () => {
    const value = await passedValue(routeOf([{ project: { keep: ['customer.id', 'customer', 'lines.sku'] } }]).apply(jsonRecord(ORDER)));
    expect(value).toEqual({ customer: ORDER.customer });
  });

  it('drop: removes the listed fields, ignores absent ones', async () => {
    const value = await passedValue(routeOf([{ project: { drop: ['customer.email', 'lines', 'nope.deeper'] } }]).apply(jsonRecord(ORDER)));
    expect(value).toEqual({ id: 'o-1', amount: 250, customer: { id: 'c-9', tier: 'gold' } });
  });

  it('does not walk into prototypes: "constructor" is a field like any other', async () => {
    const value = await passedValue(routeOf([{ project: { keep: ['constructor', 'toString.x', 'id'] } }]).apply(jsonRecord({ id: 1 })));
    expect(value).toEqual({ id: 1 });
  });

  it('fails a value that is not a JSON object', async () => {
    expect(await routeOf([{ project: { keep: ['a'] } }]).apply(jsonRecord([1, 2]))).toEqual({
      kind: 'failed',
      step: 0,
      stepType: 'project',
      error: 'expected the value to be a JSON object, got an array',
    });
    expect(await routeOf([{ project: { drop: ['a'] } }]).apply(bytesRecord('nope'))).toMatchObject({ stepType: 'project', error: expect.stringContaining('is not JSON') as unknown });
  });

  it('leaves a record without a value (a tombstone) as it is', async () => {
    const record = bytesRecord(null, { key: Buffer.from('k') });
    expect(await routeOf([{ project: { keep: ['a'] } }]).apply(record)).toEqual({ kind: 'pass', record });
  });
});

describe('rename', () => {
  it('moves fields in the order written, creating objects on the way', async () => {
    const route = routeOf([{ rename: { 'customer.id': 'customerId', amount: 'total.gross', customerId: 'buyer' } }]);
    const value = await passedValue(route.apply(jsonRecord(ORDER)));
    expect(value).toEqual({ id: 'o-1', customer: { email: 'x@example.com', tier: 'gold' }, lines: [{ sku: 'a' }], total: { gross: 250 }, buyer: 'c-9' });
  });

  it('keeps a field holding null as null', async () => {
    expect(await passedValue(routeOf([{ rename: { a: 'b' } }]).apply(jsonRecord({ a: null })))).toEqual({ b: null });
  });

  it('fails when the field to rename is missing', async () => {
    expect(await routeOf([{ rename: { 'customer.phone': 'phone' } }]).apply(jsonRecord(ORDER))).toEqual({
      kind: 'failed',
      step: 0,
      stepType: 'rename',
      error: 'cannot rename "customer.phone": the value has no such field',
    });
  });

  it('fails when the new path runs through something that is not an object', async () => {
    expect(await routeOf([{ rename: { id: 'amount.id' } }]).apply(jsonRecord(ORDER))).toMatchObject({
      stepType: 'rename',
      error: 'cannot rename "id" to "amount.id": "amount" holds 250, not an object',
    });
  });
});

describe('headers', () => {
  it('drops, then sets literal and computed headers; expressions see the record as it came in', async () => {
    const route = routeOf([
      { headers: { set: { origin: 'router', tier: { expression: 'value.customer.tier' }, amount: { expression: 'value.amount' }, old: { expression: 'headers.trace' }, big: { expression: 'value.amount > 100' } }, drop: ['trace'] } },
    ]);
    const record = await passed(route.apply(jsonRecord(ORDER, { headers: { trace: 't-1', other: Buffer.from('x') } })));
    expect(record.headers).toEqual({ other: Buffer.from('x'), origin: 'router', tier: 'gold', amount: '250', old: 't-1', big: 'true' });
  });

  it('fails when an expression gives something that is not a string, number or boolean', async () => {
    expect(await routeOf([{ headers: { set: { c: { expression: 'value.customer' } } } }]).apply(jsonRecord(ORDER))).toEqual({
      kind: 'failed',
      step: 0,
      stepType: 'headers',
      error: 'header "c" expression gave an object, expected a string, number or boolean',
    });
    expect(await routeOf([{ headers: { set: { c: { expression: 'value.nope' } } } }]).apply(jsonRecord(ORDER))).toMatchObject({ error: 'header "c" expression gave nothing, expected a string, number or boolean' });
  });

  it('sets a header named like an Object.prototype property as a plain header', async () => {
    const record = await passed(routeOf([{ headers: { set: { constructor: 'c', toString: 't' } } }]).apply(bytesRecord('x')));
    expect(record.headers).toEqual({ constructor: 'c', toString: 't' });
  });
});

describe('key', () => {
  it.each([
    [{ customer: { id: 'c-9' } }, 'c-9'],
    [{ customer: { id: 12.5 } }, '12.5'],
    [{ customer: { id: false } }, 'false'],
    [{ customer: { id: 'ünïcödé ✓' } }, 'ünïcödé ✓'],
  ])('the key of %j is %s', async (value, key) => {
    const record = await passed(routeOf([{ key: { field: 'customer.id' } }]).apply(jsonRecord(value, { key: Buffer.from('old') })));
    expect(record.key?.toString('utf8')).toBe(key);
  });

  it.each([
    [{ customer: {} }, 'key field "customer.id" is missing'],
    [{ customer: 'c-9' }, 'key field "customer.id" is missing'],
    [{ customer: { id: null } }, 'key field "customer.id" holds null, expected a string, number or boolean'],
    [{ customer: { id: { a: 1 } } }, 'key field "customer.id" holds an object, expected a string, number or boolean'],
    ['c-9', 'expected the value to be a JSON object, got "c-9"'],
  ])('fails on %j', async (value, error) => {
    expect(await routeOf([{ key: { field: 'customer.id' } }]).apply(jsonRecord(value))).toEqual({ kind: 'failed', step: 0, stepType: 'key', error });
  });

  it('fails on a record without a value', async () => {
    expect(await routeOf([{ key: { field: 'id' } }]).apply(bytesRecord(null))).toMatchObject({ stepType: 'key', error: 'the record has no value' });
  });
});

describe('reshape', () => {
  it('replaces the value with the expression result', async () => {
    const route = routeOf([{ reshape: '{ "order": value.id, "skus": value.lines.sku, "region": headers.region, "k": key }' }]);
    const value = await passedValue(route.apply(jsonRecord(ORDER, { key: Buffer.from('K'), headers: { region: 'eu' } })));
    expect(value).toEqual({ order: 'o-1', skus: 'a', region: 'eu', k: 'K' });
  });

  it('may give any JSON, a bare string or number included', async () => {
    expect(await passedValue(routeOf([{ reshape: 'value.amount * 2' }]).apply(jsonRecord(ORDER)))).toBe(500);
    expect(await passedValue(routeOf([{ reshape: 'value.lines' }]).apply(jsonRecord(ORDER)))).toEqual([{ sku: 'a' }]);
  });

  it('fails when the expression gives nothing', async () => {
    expect(await routeOf([{ reshape: 'value.nope' }]).apply(jsonRecord(ORDER))).toEqual({
      kind: 'failed',
      step: 0,
      stepType: 'reshape',
      error: 'the reshape expression gave nothing (it matched no data)',
    });
  });

  it('fails when the expression gives a function', async () => {
    expect(await routeOf([{ reshape: 'function($x) { $x }' }]).apply(jsonRecord(ORDER))).toMatchObject({ stepType: 'reshape', error: expect.stringContaining('a function') as unknown });
  });

  it('fails a value that is not JSON, with the parse error', async () => {
    expect(await routeOf([{ reshape: 'value' }]).apply(bytesRecord('<xml/>'))).toMatchObject({ stepType: 'reshape', error: expect.stringMatching(/^the value \(6 bytes\) is not JSON/) as unknown });
  });

  it('bounds an error message that quotes a huge value', async () => {
    const outcome = await routeOf([{ reshape: '$error(value.text)' }]).apply(jsonRecord({ text: 'x'.repeat(100_000) }));
    expect(outcome.kind === 'failed' && outcome.error.length).toBe(MAX_STEP_ERROR_LENGTH);
  });

  it('leaves a record without a value (a tombstone) as it is', async () => {
    const record = bytesRecord(null);
    expect(await routeOf([{ reshape: '{ "a": 1 }' }]).apply(record)).toEqual({ kind: 'pass', record });
  });
});
