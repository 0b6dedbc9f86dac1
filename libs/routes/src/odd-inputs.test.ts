// Records a fronting topic may well carry: huge, deeply nested, not UTF-8. None may throw out of
// `apply` or stall it; each passes or fails its step.
import { describe, expect, it } from 'vitest';
import { bytesRecord, jsonRecord, passed, passedValue, routeOf } from './test-support/route-fixtures';

const MIB = 1024 * 1024;

function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('odd inputs', () => {
  it('a 1 MiB value through the copy route is the same Buffer', () => {
    const value = Buffer.alloc(MIB, 0x61);
    const record = bytesRecord(value);
    expect(routeOf([]).apply(record)).toEqual({ kind: 'pass', record });
  });

  it('a 1 MiB JSON value through filter + projection keeps what was asked', async () => {
    const big = { id: 1, blob: 'x'.repeat(MIB), keep: { me: true } };
    const route = routeOf([{ filter: 'value.id = 1' }, { project: { keep: ['id', 'keep'] } }]);
    expect(await passedValue(route.apply(jsonRecord(big)))).toEqual({ id: 1, keep: { me: true } });
    const whole = routeOf([{ project: { drop: ['id'] } }]);
    const value = (await passedValue(whole.apply(jsonRecord(big)))) as { blob: string };
    expect(value.blob.length).toBe(MIB);
  });

  it('deep JSON: a filter reads it and the bytes pass; a projection of it passes too', async () => {
    const deep = Buffer.from(deepJson(200_000));
    const filtered = await passed(routeOf([{ filter: 'value.a.a.a != 0' }]).apply(bytesRecord(deep)));
    expect(filtered.value).toBe(deep);
    const bytes = Buffer.from(deepJson(1_000));
    const projected = await passed(routeOf([{ project: { drop: ['b'] } }]).apply(bytesRecord(bytes)));
    expect(projected.value?.equals(bytes)).toBe(true);
  });

  it('JSON too deep to write back fails its step instead of throwing', async () => {
    const outcome = await routeOf([{ filter: 'true' }, { project: { drop: ['b'] } }]).apply(bytesRecord(deepJson(200_000)));
    expect(outcome).toMatchObject({ kind: 'failed', step: 1, stepType: 'project', error: expect.stringMatching(/^the new value cannot be written as JSON: /) as unknown });
  });

  it('JSON too deep for an expression fails its step instead of throwing', async () => {
    const outcome = await routeOf([{ reshape: '$string(value)' }]).apply(bytesRecord(deepJson(200_000)));
    expect(outcome).toMatchObject({ kind: 'failed', step: 0, stepType: 'reshape' });
  });

  it('a value that is not UTF-8 is not JSON, even when its bytes look like JSON', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(await routeOf([{ project: { keep: ['name'] } }]).apply(bytesRecord(bytes))).toMatchObject({
      kind: 'failed',
      stepType: 'project',
      error: 'the value (13 bytes) is not JSON: it is not valid UTF-8',
    });
  });

  it('non-UTF-8 bytes pass untouched through steps that do not read the value', () => {
    const bytes = Buffer.from([0xff, 0x00, 0xc3, 0x28]);
    const record = bytesRecord(bytes, { key: Buffer.from([0xfe]) });
    const outcome = routeOf([{ headers: { set: { a: 'b' } } }]).apply(record);
    expect(outcome).toMatchObject({ kind: 'pass', record: { value: bytes, key: record.key } });
  });

  it('a key that is not UTF-8 reaches expressions with replacement characters', async () => {
    const record = bytesRecord('{}', { key: Buffer.from([0x6b, 0xff]) });
    expect(await routeOf([{ filter: 'key = "k\uFFFD"' }]).apply(record)).toMatchObject({ kind: 'pass' });
  });

  it('an empty value is not JSON', async () => {
    expect(await routeOf([{ key: { field: 'id' } }]).apply(bytesRecord(Buffer.alloc(0)))).toMatchObject({
      kind: 'failed',
      error: expect.stringMatching(/^the value \(0 bytes\) is not JSON/) as unknown,
    });
  });

  it('a "__proto__" field in the value is data, not a prototype', async () => {
    const bytes = Buffer.from('{"__proto__":{"polluted":true},"id":1}');
    const value = await passedValue(routeOf([{ project: { drop: ['id'] } }]).apply(bytesRecord(bytes)));
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
