// The typed layer over send(): a class decorated with @Stream('topic') says where its instances
// go and how they become a Kafka record, so an application sends objects instead of building
// messages by hand.
//
// Standard (TC39) class decorators, as the repository compiles them (experimentalDecorators is
// off). Definitions live in a WeakMap keyed by the class's prototype rather than in
// Symbol.metadata, which Node 20 does not define: it works whatever the compiler emits, and
// looking an instance up along its prototype chain lets subclasses inherit their parent's stream.
import { ValidationError } from '@flotilla/errors';
import { isValidTopicName } from '@flotilla/mapping';
import { InvalidRecordError } from '../errors/client-errors';

/** What a key selector may return; null and undefined mean "no key" (sticky partitioning). */
export type StreamKey = string | Buffer | Uint8Array | number | bigint | null | undefined;

export type StreamHeaders = Record<string, Buffer | string>;

export interface StreamOptions<T> {
  /**
   * The record key: the name of a property of the instance, or a function of it. Absent, records
   * have no key and are spread by the sticky partitioner.
   */
  readonly key?: (keyof T & string) | ((value: T) => StreamKey);
  /** Turns an instance into the record value; JSON of its own enumerable properties by default. */
  readonly serializer?: (value: T) => Buffer | Uint8Array | string;
  readonly headers?: (value: T) => StreamHeaders;
}

/** An instance as a record, in the shape send() takes. */
export interface StreamRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers: StreamHeaders;
}

interface StreamDefinition {
  readonly topic: string;
  readonly className: string;
  /** The instance is known to be of the decorated class (or a subclass) when this is called. */
  readonly encode: (value: object) => StreamRecord;
}

const definitions = new WeakMap<object, StreamDefinition>();

type AnyClass<T> = abstract new (...args: never[]) => T;

/**
 * Declares that instances of the class are records of `topic`:
 *
 * ```ts
 * @Stream('orders', { key: 'orderId' })
 * class OrderPlaced { constructor(readonly orderId: string, readonly total: number) {} }
 * ```
 *
 * TypeScript infers `T` from the decorated class, so `key` must name one of its properties.
 */
export function Stream<T extends object>(topic: string, options: StreamOptions<T> = {}) {
  return (target: AnyClass<T>, context: ClassDecoratorContext<AnyClass<T>>): void => {
    const className = context.name ?? '(anonymous)';
    const described = context.name === undefined ? 'an anonymous class' : `class ${context.name}`;
    if (context.kind !== 'class') throw new ValidationError(`@Stream decorates classes, not a ${String(context.kind)}`);
    if (!isValidTopicName(topic)) {
      throw new ValidationError(`@Stream on ${described}: invalid topic name ${JSON.stringify(topic)}`, { field: 'topic' });
    }
    const prototype: object = target.prototype;
    const existing = definitions.get(prototype);
    if (existing !== undefined) {
      // Decorators run innermost first; silently keeping one would send to a topic the reader
      // of the class cannot tell from the source.
      throw new ValidationError(`@Stream applied twice to ${described} (topics "${existing.topic}" and "${topic}")`, { field: 'topic' });
    }
    definitions.set(prototype, { topic, className, encode: encoder(topic, className, options) });
  };
}

/** The record an instance of a @Stream class becomes. Throws, naming the class, when it is not one. */
export function streamOf(object: object): StreamRecord {
  return definitionOf(object).encode(object);
}

/** The topic of a @Stream class, e.g. to subscribe to it. */
export function streamTopic(streamClass: AnyClass<object>): string {
  const prototype: object = streamClass.prototype;
  const definition = findDefinition(prototype);
  if (definition === undefined) throw notAStream(describeClass(streamClass));
  return definition.topic;
}

function definitionOf(object: unknown): StreamDefinition {
  if (typeof object !== 'object' || object === null) {
    throw new ValidationError(`streamOf: expected an instance of a class decorated with @Stream('topic'), got ${object === null ? 'null' : typeof object}`, {
      field: 'object',
    });
  }
  const prototype: unknown = Object.getPrototypeOf(object);
  const definition = findDefinition(prototype);
  if (definition === undefined) {
    const ctor = typeof prototype === 'object' && prototype !== null && 'constructor' in prototype ? prototype.constructor : undefined;
    throw notAStream(describeClass(ctor));
  }
  return definition;
}

function findDefinition(prototype: unknown): StreamDefinition | undefined {
  for (let proto = prototype; typeof proto === 'object' && proto !== null; proto = Object.getPrototypeOf(proto)) {
    const definition = definitions.get(proto);
    if (definition !== undefined) return definition;
  }
  return undefined;
}

function notAStream(what: string): ValidationError {
  return new ValidationError(`${what} is not a stream: decorate the class with @Stream('topic') to send its instances`, {
    field: 'object',
  });
}

function describeClass(ctor: unknown): string {
  if (typeof ctor !== 'function' || ctor === Object) return 'a plain object';
  return ctor.name === '' ? 'an anonymous class' : `class ${ctor.name}`;
}

function encoder<T extends object>(topic: string, className: string, options: StreamOptions<T>): (value: object) => StreamRecord {
  const { key, serializer = jsonSerializer, headers } = options;
  const keyField = typeof key === 'string' ? `${className}.${key}` : `${className} key`;
  const selectKey: (value: T) => unknown = key === undefined ? () => null : typeof key === 'string' ? (value) => value[key] : key;
  return (object) => {
    // Safe: definitions are found only along the prototype chain of a decorated class.
    const value = object as T;
    return {
      topic,
      key: toKey(selectKey(value), keyField),
      value: toValue(value, serializer, className),
      headers: headers === undefined ? {} : { ...headers(value) },
    };
  };
}

function toKey(key: unknown, field: string): Buffer | null {
  if (key === null || key === undefined) return null;
  if (Buffer.isBuffer(key)) return key;
  if (key instanceof Uint8Array) return Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  // Numbers become their decimal text, which is what a Java or KafkaJS producer would hash for
  // a key written as a string: the same id lands on the same partition from every client.
  if (typeof key === 'number' || typeof key === 'bigint') return Buffer.from(String(key), 'utf8');
  throw new InvalidRecordError(field, 'string, Buffer, number, bigint or null', key);
}

function toValue<T>(value: T, serializer: (value: T) => Buffer | Uint8Array | string, className: string): Buffer {
  let serialized: unknown;
  try {
    serialized = serializer(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`${className} value: could not be serialised: ${reason}`, { field: `${className} value`, cause: error });
  }
  if (Buffer.isBuffer(serialized)) return serialized;
  if (serialized instanceof Uint8Array) return Buffer.from(serialized.buffer, serialized.byteOffset, serialized.byteLength);
  if (typeof serialized === 'string') return Buffer.from(serialized, 'utf8');
  throw new InvalidRecordError(`${className} value`, 'the serializer to return a Buffer, Uint8Array or string', serialized);
}

function jsonSerializer(value: unknown): string {
  const json: unknown = JSON.stringify(value);
  // JSON.stringify returns undefined for what JSON cannot hold (a toJSON returning undefined).
  if (typeof json !== 'string') throw new Error('JSON.stringify produced no text');
  return json;
}
