// KafkaJS' instrumentation events for one kind of client: `on(name, listener)` for the names the
// client emits (others are refused at once, with the reason where there is one, not left
// waiting), events shaped { id, type, timestamp, payload }, and listeners that cannot break the
// client. The producer and the consumer each name their events and use this one emitter.
import { ValidationError } from '@flotilla/errors';

export interface InstrumentationEvent<P> {
  id: number;
  type: string;
  timestamp: number;
  payload: P;
}

export type RemoveInstrumentationEventListener = () => void;

export class InstrumentationEmitter<Name extends string> {
  readonly #listeners = new Map<string, Set<(event: InstrumentationEvent<unknown>) => void>>();
  readonly #known: ReadonlySet<string>;
  #id = 0;

  /** `client` names the caller in errors ("producer"); `notEmitted`: KafkaJS names refused with their reason. */
  constructor(
    private readonly client: string,
    names: readonly Name[],
    private readonly notEmitted: Readonly<Record<string, string>> = {},
  ) {
    this.#known = new Set(names);
  }

  on(eventName: string, listener: (event: InstrumentationEvent<never>) => void): RemoveInstrumentationEventListener {
    if (!this.#known.has(eventName)) {
      const why = this.notEmitted[eventName];
      throw new ValidationError(
        why
          ? `${this.client}.on: "${eventName}" is not emitted by the Flotilla ${this.client}: ${why}`
          : `${this.client}.on: unknown event "${String(eventName)}"; expected one of ${[...this.#known].join(', ')}`,
        { field: 'eventName' },
      );
    }
    if (typeof listener !== 'function') throw new ValidationError(`${this.client}.on: the listener of "${eventName}" must be a function`, { field: 'listener' });
    let listeners = this.#listeners.get(eventName);
    if (!listeners) this.#listeners.set(eventName, (listeners = new Set()));
    const entry = listener as (event: InstrumentationEvent<unknown>) => void;
    listeners.add(entry);
    return () => void listeners.delete(entry);
  }

  /** Whether anyone listens: payloads that cost something are built only then. */
  listened(eventName: Name): boolean {
    return (this.#listeners.get(eventName)?.size ?? 0) > 0;
  }

  emit(eventName: Name, payload: unknown): void {
    const listeners = this.#listeners.get(eventName);
    if (!listeners || listeners.size === 0) return;
    const event: InstrumentationEvent<unknown> = { id: ++this.#id, type: eventName, timestamp: Date.now(), payload };
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener must not break the client, as with KafkaJS' event emitter.
      }
    }
  }
}
