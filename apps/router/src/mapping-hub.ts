// One live mapping source for the whole router process, handed to each of its smart clients as a
// MappingSource of their own (a source is started once per client): every client sees the same
// versions, in the router's view (mapping-views.ts), and the process keeps one stream to
// management however many routes it runs.
import type { MappingListener, MappingSource } from '@flotilla/client';
import type { CompiledMapping } from '@flotilla/mapping';
import { routerView } from './mapping-views';

export class MappingHub {
  readonly #listeners = new Set<MappingListener>();
  #current: CompiledMapping | undefined;
  #started: Promise<void> | undefined;

  constructor(private readonly source: MappingSource) {}

  /** Resolves once a first mapping is in force; rejects as the source's start() does. */
  start(): Promise<void> {
    this.#started ??= this.source.start({
      onMapping: (mapping) => {
        const previous = this.#current;
        this.#current = routerView(mapping);
        for (const listener of this.#listeners) listener.onMapping(this.#current, previous);
      },
      onRejected: (error, raw) => {
        for (const listener of this.#listeners) listener.onRejected?.(error, raw);
      },
    });
    return this.#started;
  }

  /** The current mapping in the router's view. */
  current(): CompiledMapping | undefined {
    return this.#current;
  }

  /** A MappingSource for one client: its start() resolves at once with the hub's current version. */
  view(): MappingSource {
    let listener: MappingListener | undefined;
    return {
      start: async (given) => {
        await this.start();
        listener = given;
        this.#listeners.add(given);
        const current = this.#current;
        if (current) given.onMapping(current, undefined);
      },
      current: () => this.#current,
      stop: async () => {
        if (listener) this.#listeners.delete(listener);
        listener = undefined;
      },
    };
  }

  stop(): Promise<void> {
    this.#listeners.clear();
    return this.source.stop();
  }
}
