import { tsImport } from 'tsx/esm/api';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Fixtures from './testdata/decorated-classes';

// Loaded through tsx, which lowers standard decorators the way our apps run them; see the
// fixture file for why vitest cannot load it directly.
let f: typeof Fixtures;

beforeAll(async () => {
  f = (await tsImport('./testdata/decorated-classes.ts', import.meta.url)) as typeof Fixtures;
});

function thrown(action: () => unknown): { name: string; code: unknown; message: string } {
  try {
    action();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { name: error.name, code: (error as Error & { code?: unknown }).code, message: error.message };
  }
  throw new Error('expected an error');
}

describe('@Stream and streamOf', () => {
  it('gives a decorated instance its topic, a JSON value and the key from the named property', () => {
    const record = f.streamOf(new f.OrderPlaced('o-17', 99.5));
    expect(record.topic).toBe('orders');
    expect(record.key).toEqual(Buffer.from('o-17'));
    expect(JSON.parse(record.value.toString('utf8'))).toEqual({ orderId: 'o-17', total: 99.5 });
    expect(record.headers).toEqual({});
  });

  it('keeps each class on its own topic, with a key function and headers', () => {
    const record = f.streamOf(new f.PaymentReceived(42, 10, 'EUR'));
    expect(record.topic).toBe('payments');
    // Numbers key as their decimal text, as a string-keyed Java producer would send them.
    expect(record.key).toEqual(Buffer.from('42'));
    expect(record.headers).toEqual({ currency: 'EUR' });
    expect(f.streamOf(new f.OrderPlaced('o-1', 1)).topic).toBe('orders');
    expect(f.streamTopic(f.PaymentReceived)).toBe('payments');
  });

  it('sends without a key when no key is declared', () => {
    expect(f.streamOf(new f.Click('/home')).key).toBeNull();
  });

  it('uses a custom serializer', () => {
    expect(f.streamOf(new f.RawByte(7)).value).toEqual(Buffer.from([7]));
  });

  it('refuses an undecorated instance with a validation error naming its class', () => {
    expect(thrown(() => f.streamOf(new f.Invoice('i-1')))).toEqual({
      name: 'ValidationError',
      code: 'VALIDATION',
      message: "class Invoice is not a stream: decorate the class with @Stream('topic') to send its instances",
    });
    expect(thrown(() => f.streamOf({ id: 1 })).message).toBe(
      "a plain object is not a stream: decorate the class with @Stream('topic') to send its instances",
    );
    expect(thrown(() => f.streamTopic(f.Invoice)).message).toMatch(/^class Invoice is not a stream/);
  });

  it('refuses something that is not an object at all', () => {
    expect(thrown(() => f.streamOf(42 as unknown as object)).message).toBe(
      "streamOf: expected an instance of a class decorated with @Stream('topic'), got number",
    );
  });

  it('lets a subclass inherit its parent stream unless it declares its own', () => {
    expect(f.streamOf(new f.BigOrder('o-2', 1e6)).topic).toBe('orders');
    expect(f.streamOf(new f.Refund('o-3', 5)).topic).toBe('refunds');
    expect(f.streamOf(new f.OrderPlaced('o-4', 5)).topic).toBe('orders');
  });

  it('names the class and property when a key property holds something that cannot be a key', () => {
    expect(thrown(() => f.streamOf(new f.Owned({ name: 'x' })))).toEqual({
      name: 'InvalidRecordError',
      code: 'VALIDATION',
      message: 'Owned.owner: expected string, Buffer, number, bigint or null, got an object',
    });
  });

  it('names the class when its value cannot be serialised', () => {
    expect(thrown(() => f.streamOf(new f.Counter(1n))).message).toMatch(/^Counter value: could not be serialised: /);
  });

  it('rejects, when the class is defined, an invalid topic or a second @Stream', () => {
    expect(thrown(() => f.defineWithInvalidTopic()).message).toBe('@Stream on class Spaced: invalid topic name "not a topic"');
    // Decorators apply innermost first, so 'b' is registered before 'a' arrives.
    expect(thrown(() => f.defineDecoratedTwice()).message).toBe('@Stream applied twice to class Twice (topics "b" and "a")');
  });
});
