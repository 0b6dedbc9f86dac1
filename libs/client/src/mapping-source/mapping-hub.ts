// One live mapping source for a whole process (the router, the HTTP proxy), handed to each of its
// smart clients as a MappingSource of their own (a source is started once per client): every
// client sees the same versions, through a view of its own where it needs one (the router's
// mapping-views.ts), and the process keeps one stream to management however many clients it runs.
import type { MappingListener, MappingSource } from './mapping-source';
import type { CompiledMapping } from '@flotilla/mapping';

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
        this.#current = mapping;
        for (const listener of this.#listeners) listener.onMapping(mapping, previous);
      },
      onRejected: (error, raw) => {
        for (const listener of this.#listeners) listener.onRejected?.(error, raw);
      },
    });
    return this.#started;
  }

  /** The current mapping, as management published it. */
  current(): CompiledMapping | undefined {
    return this.#current;
  }

  /**
   * A MappingSource for one client, each version seen through `view`: its start() resolves at once
   * with the hub's current version.
   */
  view(view: (mapping: CompiledMapping) => CompiledMapping = (mapping) => mapping): MappingSource {
    let listener: MappingListener | undefined;
    let seen: CompiledMapping | undefined;
    const deliver = (given: MappingListener): MappingListener => ({
      onMapping: (mapping) => {
        const previous = seen;
        seen = view(mapping);
        given.onMapping(seen, previous);
      },
      ...(given.onRejected ? { onRejected: given.onRejected.bind(given) } : {}),
    });
    return {
      start: async (given) => {
        await this.start();
        listener = deliver(given);
        this.#listeners.add(listener);
        const current = this.#current;
        if (current) listener.onMapping(current, undefined);
      },
      current: () => seen,
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
