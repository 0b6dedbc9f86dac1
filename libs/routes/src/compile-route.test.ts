import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { KEYED_STEP_TYPE, compileRoute, parseRouteDefinition, type RouteDefinition } from './index';
import { bytesRecord, jsonRecord, passed, routeOf } from './test-support/route-fixtures';

describe('compileRoute: the plain copy route', () => {
  it('returns the very record it was given, value bytes untouched, synchronously', () => {
    const record = bytesRecord('not even JSON \u00ff', { key: Buffer.from('k'), headers: { a: Buffer.from('1') } });
    const outcome = routeOf([]).apply(record);
    expect(outcome).not.toBeInstanceOf(Promise);
    expect(outcome).toEqual({ kind: 'pass', record });
    if (outcome instanceof Promise || outcome.kind !== 'pass') throw new Error('expected a synchronous pass');
    expect(outcome.record.value).toBe(record.value);
  });

  it('passes a record without a value (a tombstone) as it is', () => {
    const record = bytesRecord(null, { key: Buffer.from('k') });
    expect(routeOf([]).apply(record)).toEqual({ kind: 'pass', record });
  });
});

describe('compileRoute: steps that need no value parse', () => {
  it('a literal headers step leaves the value Buffer the same object and the input record unchanged', () => {
    const record = bytesRecord('not JSON', { headers: { trace: 'abc', keep: 'yes' } });
    const outcome = routeOf([{ headers: { set: { origin: 'router' }, drop: ['trace'] } }]).apply(record);
    expect(outcome).not.toBeInstanceOf(Promise);
    if (outcome instanceof Promise || outcome.kind !== 'pass') throw new Error('expected a synchronous pass');
    expect(outcome.record.value).toBe(record.value);
    expect(outcome.record.headers).toEqual({ keep: 'yes', origin: 'router' });
    expect(record.headers).toEqual({ trace: 'abc', keep: 'yes' });
  });

  it('a key step reads the value but passes its bytes untouched', async () => {
    const bytes = Buffer.from('{ "customer" : { "id" : 42 } ,"pretty":  true }');
    const record = await passed(routeOf([{ key: { field: 'customer.id' } }]).apply(bytesRecord(bytes)));
    expect(record.value).toBe(bytes);
    expect(record.key?.toString()).toBe('42');
  });

  it('a filter that never names the value does not parse it, so non-JSON passes', async () => {
    const record = bytesRecord('\u0000 binary', { key: Buffer.from('vip-1') });
    const outcome = await routeOf([{ filter: '$substring(key, 0, 4) = "vip-"' }]).apply(record);
    expect(outcome).toEqual({ kind: 'pass', record });
  });
});

describe('compileRoute: steps run in order', () => {
  it('each step sees what the steps before it made', async () => {
    const route = routeOf([
      { rename: { 'customer.id': 'customerId' } },
      { filter: '$exists(value.customerId) and $not($exists(value.customer.id))' },
      { key: { field: 'customerId' } },
      { headers: { set: { key: { expression: 'key' } } } },
      { reshape: '{ "who": value.customerId, "key": key }' },
    ]);
    const record = await passed(route.apply(jsonRecord({ customer: { id: 'c-7' } })));
    expect(JSON.parse(record.value?.toString() ?? '')).toEqual({ who: 'c-7', key: 'c-7' });
    expect(record.headers).toEqual({ key: 'c-7' });
    expect(record.key?.toString()).toBe('c-7');
  });

  it('stops at a filtered record and reports the step', async () => {
    const route = routeOf([{ project: { keep: ['a'] } }, { filter: 'value.a > 1' }, { reshape: '$error("never")' }]);
    expect(await route.apply(jsonRecord({ a: 1 }))).toEqual({ kind: 'filtered', step: 1 });
  });

  it('keeps the timestamp and returns a new record when something changed', async () => {
    const input = jsonRecord({ a: 1, b: 2 });
    const record = await passed(routeOf([{ project: { drop: ['b'] } }]).apply(input));
    expect(record).not.toBe(input);
    expect(record.timestamp).toBe(input.timestamp);
    expect(input.value?.toString()).toBe('{"a":1,"b":2}');
  });
});

describe('compileRoute: keyed routes', () => {
  it('send a record whose key is missing after the steps to the dead-letter topic', () => {
    const outcome = routeOf([], { keyed: true }).apply(bytesRecord('x'));
    expect(outcome).toEqual({ kind: 'failed', step: 0, stepType: KEYED_STEP_TYPE, error: 'the route is keyed and the record has no key after its steps' });
  });

  it('report the missing key after the last step', () => {
    const outcome = routeOf([{ headers: { set: { a: 'b' } } }], { keyed: true }).apply(bytesRecord('x'));
    expect(outcome).toMatchObject({ kind: 'failed', step: 1, stepType: 'keyed' });
  });

  it('pass a record with a key, an empty one included', () => {
    const record = bytesRecord('x', { key: Buffer.alloc(0) });
    expect(routeOf([], { keyed: true }).apply(record)).toEqual({ kind: 'pass', record });
  });

  it('pass a record whose key a step set', async () => {
    const record = await passed(routeOf([{ key: { field: 'id' } }], { keyed: true }).apply(jsonRecord({ id: 9 })));
    expect(record.key?.toString()).toBe('9');
  });
});

describe('compileRoute: definitions that did not come from parseRouteDefinition', () => {
  it('refuses a bad expression with the same ValidationError naming the step', () => {
    const definition = { ...parseRouteDefinition({ name: 'r', source: 's', destinations: [{}] }), steps: [{ key: { field: 'a' } }, { headers: { set: { h: { expression: '(' } } } }] } as RouteDefinition;
    expect(() => compileRoute(definition)).toThrow(ValidationError);
    expect(() => compileRoute(definition)).toThrow(/^invalid route "r": steps\[1\]\.headers\.set\.h\.expression: JSONata syntax error/);
  });
});
