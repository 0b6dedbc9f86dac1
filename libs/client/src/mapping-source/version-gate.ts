// The one rule every source applies to incoming versions: only a newer, valid version replaces
// the one in force; an invalid one is reported and changes nothing; an older or equal one is
// ignored without a callback (a reconnect or a touched file re-delivers versions already held).
import { FlotillaError } from '@flotilla/errors';
import { MappingValidationError, type CompiledMapping } from '@flotilla/mapping';
import type { MappingListener, WarningSink } from './mapping-source';
import { compileMappingJson, declaredVersion, parseMappingJson } from './mapping-text';

export type OfferOutcome = 'applied' | 'stale' | 'rejected';

export class VersionGate {
  readonly #listener: MappingListener;
  readonly #warn: WarningSink;
  #current: CompiledMapping | undefined;

  constructor(listener: MappingListener, warn: WarningSink) {
    this.#listener = listener;
    this.#warn = warn;
  }

  current(): CompiledMapping | undefined {
    return this.#current;
  }

  /** Validates and, if newer, applies a version received as text. */
  offer(raw: string): OfferOutcome {
    let json: unknown;
    try {
      json = parseMappingJson(raw);
    } catch (error) {
      this.reject(error, raw);
      return 'rejected';
    }
    // Checked before validation so a stale re-delivery costs no compile and reports nothing.
    const version = declaredVersion(json);
    if (version !== undefined && this.#isStale(version)) return 'stale';
    let mapping: CompiledMapping;
    try {
      mapping = compileMappingJson(json);
    } catch (error) {
      this.reject(error, raw);
      return 'rejected';
    }
    return this.adopt(mapping);
  }

  /** Applies an already compiled version (the disk cache, a static source) if it is newer. */
  adopt(mapping: CompiledMapping): OfferOutcome {
    if (this.#isStale(mapping.version)) return 'stale';
    const previous = this.#current;
    this.#current = mapping;
    try {
      this.#listener.onMapping(mapping, previous);
    } catch (error) {
      this.#warn(FlotillaError.from(error));
    }
    return 'applied';
  }

  /** Reports a refused version; the one in force stays. */
  reject(thrown: unknown, raw: string): void {
    // MappingValidationError already names the path; anything else is a bug worth its cause.
    const error = thrown instanceof MappingValidationError || thrown instanceof FlotillaError ? thrown : FlotillaError.from(thrown);
    const onRejected = this.#listener.onRejected;
    if (onRejected === undefined) {
      this.#warn(error);
      return;
    }
    try {
      onRejected.call(this.#listener, error, raw);
    } catch (listenerError) {
      this.#warn(FlotillaError.from(listenerError));
    }
  }

  #isStale(version: number): boolean {
    return this.#current !== undefined && version <= this.#current.version;
  }
}
