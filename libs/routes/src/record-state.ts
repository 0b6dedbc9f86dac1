// One record on its way through a route's steps. The value is parsed the first time a step asks
// for it and serialised only when a step replaced or edited it, so steps that only read it (a
// filter, a key from a field) and steps that never touch it (headers) leave the original bytes
// untouched, and a route whose steps change nothing returns the very record it was given.
import { isUtf8 } from 'node:buffer';
import type { HeaderEntry, RouteRecord } from './route-record';

/** Thrown by `value()` when the bytes are not JSON; a step that reads the value fails with it. */
export class ValueNotJsonError extends Error {
  override readonly name = 'ValueNotJsonError';
}

type Headers = Record<string, HeaderEntry>;

/** What an expression sees: `value` (parsed JSON), `key` (text) and `headers` (text values). */
export interface RecordView {
  readonly value: unknown;
  readonly key: string | undefined;
  readonly headers: Readonly<Record<string, string | string[]>>;
}

const NOT_PARSED: unique symbol = Symbol('not parsed');

// A view's state sits under a symbol that is not enumerable, which no JSONata function lists
// (they use Object.keys, for..in and Object.getOwnPropertyNames), so expressions see exactly the
// three fields. The accessors are shared by every view: no functions are made per record.
const STATE: unique symbol = Symbol('record state');

interface StatefulView {
  readonly [STATE]: RecordState;
}

const VIEW_PROPERTIES: PropertyDescriptorMap = {
  value: {
    enumerable: true,
    get(this: StatefulView): unknown {
      return this[STATE].value();
    },
  },
  key: {
    enumerable: true,
    get(this: StatefulView): string | undefined {
      return this[STATE].key?.toString('utf8');
    },
  },
  headers: {
    enumerable: true,
    get(this: StatefulView): Record<string, string | string[]> {
      return headerTexts(this[STATE].headers);
    },
  },
};

export class RecordState {
  readonly original: RouteRecord;
  key: Buffer | null;
  #headers: Readonly<Headers>;
  #headersCopied = false;
  #parsed: unknown = NOT_PARSED;
  #parseError: ValueNotJsonError | undefined;
  #valueChanged = false;
  #view: RecordView | undefined;

  constructor(record: RouteRecord) {
    this.original = record;
    this.key = record.key;
    this.#headers = record.headers;
  }

  get hasValue(): boolean {
    return this.#valueChanged || this.original.value !== null;
  }

  get valueChanged(): boolean {
    return this.#valueChanged;
  }

  /** The value as parsed JSON (undefined for a record without one); throws ValueNotJsonError. */
  value(): unknown {
    if (this.#parsed !== NOT_PARSED) return this.#parsed;
    if (this.#parseError) throw this.#parseError;
    const bytes = this.original.value;
    if (bytes === null) return undefined;
    try {
      // JSON text is UTF-8 (RFC 8259); decoding other bytes would silently turn them into U+FFFD.
      if (!isUtf8(bytes)) throw new Error('it is not valid UTF-8');
      this.#parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    } catch (thrown) {
      const reason = thrown instanceof Error ? thrown.message : String(thrown);
      this.#parseError = new ValueNotJsonError(`the value (${bytes.length} bytes) is not JSON: ${reason}`);
      throw this.#parseError;
    }
    return this.#parsed;
  }

  /** The parse failure met while a step ran, if any: it, not what followed from it, is the error. */
  get valueError(): ValueNotJsonError | undefined {
    return this.#parseError;
  }

  /** Records that the value (returned by `value()`) was edited in place or replaced by `next`. */
  changeValue(next: unknown = this.#parsed): void {
    this.#parsed = next;
    this.#valueChanged = true;
  }

  get headers(): Readonly<Headers> {
    return this.#headers;
  }

  /** Headers to edit: a copy on first use, so the caller's record is never modified. */
  editHeaders(): Headers {
    if (!this.#headersCopied) {
      this.#headers = { ...this.#headers };
      this.#headersCopied = true;
    }
    return this.#headers as Headers;
  }

  /**
   * What expressions see, one per record: accessors that read this state when used, so an
   * expression that never mentions the value never parses it, and each sees the record as the
   * steps before it left it.
   */
  view(): RecordView {
    if (this.#view === undefined) {
      this.#view = Object.defineProperties(Object.defineProperty({}, STATE, { value: this }), VIEW_PROPERTIES) as RecordView;
    }
    return this.#view;
  }

  /**
   * The record to produce: the original object when no step changed anything. Throws when an
   * edited value cannot be written as JSON (nesting too deep for the serialiser).
   */
  toRecord(): RouteRecord {
    const original = this.original;
    if (!this.#valueChanged && !this.#headersCopied && this.key === original.key) return original;
    return {
      key: this.key,
      value: this.#valueChanged ? serialise(this.#parsed) : original.value,
      headers: this.#headers,
      timestamp: original.timestamp,
    };
  }
}

function serialise(value: unknown): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(value) as string | undefined;
  } catch (thrown) {
    throw new Error(`the new value cannot be written as JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
  }
  if (text === undefined) throw new Error(`the new value cannot be written as JSON: it is ${typeof value}`);
  return Buffer.from(text, 'utf8');
}

function headerTexts(headers: Readonly<Headers>): Record<string, string | string[]> {
  // No prototype: a header named "__proto__" stays a header.
  const texts = Object.create(null) as Record<string, string | string[]>;
  for (const [name, entry] of Object.entries(headers)) {
    if (entry === undefined) continue;
    texts[name] = Array.isArray(entry) ? entry.map((part) => part.toString()) : entry.toString();
  }
  return texts;
}
