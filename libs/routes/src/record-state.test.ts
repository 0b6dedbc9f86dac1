import { describe, expect, it } from 'vitest';
import { compileExpression, describeThrown } from './expression';
import { RecordState, type RecordView } from './record-state';
import type { RouteRecord } from './route-record';
import { bytesRecord, jsonRecord } from './test-support/route-fixtures';

// The view as it was built before its accessors were shared: closures made per record. Whatever
// an expression can learn of the view must be the same on both.
function closureView(state: RecordState): RecordView {
  return Object.defineProperties({} as RecordView, {
    value: { enumerable: true, get: () => state.value() },
    key: { enumerable: true, get: () => state.key?.toString('utf8') },
    // Header texts are made as they always were; only how the accessors reach the state changed.
    headers: { enumerable: true, get: () => state.view().headers },
  });
}

const RECORDS: readonly RouteRecord[] = [
  jsonRecord({ id: 'o-1', amount: 5, lines: [{ sku: 'a' }, { sku: 'b' }] }, { key: Buffer.from('k-1'), headers: { region: Buffer.from('eu'), tag: ['a', Buffer.from('b')] } }),
  jsonRecord([1, { a: 2 }], { headers: { ['__proto__']: 'x', gone: undefined } }),
  bytesRecord(null, { key: Buffer.from('') }),
  bytesRecord('not json'),
];

const EXPRESSIONS = [
  '$',
  '$keys($)',
  '$string($)',
  '$spread($)',
  '$each($, function($v, $k) { $k })',
  '$.*',
  '**.sku',
  '$merge([$, { "extra": 1 }])',
  '$sift($, function($v) { true })',
  '$type($)',
  '$count($keys($))',
  '$boolean($)',
  '$lookup($, "key")',
  '$exists(value)',
  '$keys(headers)',
  'headers',
  '$ = $',
  '$ ~> | $ | { "added": true } |',
];

async function seen(source: string, view: RecordView): Promise<unknown> {
  try {
    return { result: JSON.stringify(await compileExpression(source).evaluate(view)) ?? 'undefined' };
  } catch (thrown) {
    return { error: describeThrown(thrown) };
  }
}

describe('RecordState.view', () => {
  it('shows expressions exactly the record the closure-built view showed', async () => {
    for (const input of RECORDS) {
      for (const source of EXPRESSIONS) {
        const expected = await seen(source, closureView(new RecordState(input)));
        expect(await seen(source, new RecordState(input).view()), `${source} on ${input.value?.toString() ?? 'no value'}`).toEqual(expected);
      }
    }
  });

  it('lists value, key and headers, in that order, and nothing else', () => {
    const view = new RecordState(jsonRecord({ a: 1 }, { key: Buffer.from('k') })).view();
    expect(Object.keys(view)).toEqual(['value', 'key', 'headers']);
    expect(Object.getOwnPropertyNames(view)).toEqual(['value', 'key', 'headers']);
    expect({ ...view }).toEqual({ value: { a: 1 }, key: 'k', headers: {} });
  });

  it('parses the value only when it is read, and follows the steps that edit the record', () => {
    const state = new RecordState(bytesRecord('not json', { key: Buffer.from('k') }));
    const view = state.view();
    expect(view.key).toBe('k');
    expect(state.valueError).toBeUndefined();
    state.key = Buffer.from('k-2');
    state.editHeaders()['region'] = 'eu';
    expect(view.key).toBe('k-2');
    expect(view.headers).toEqual({ region: 'eu' });
    expect(() => view.value).toThrow('is not JSON');
  });
});
