// Where a client's mapping comes from: a fixed document, a file, or management's live stream.
// Every source delivers versions the same way, so producers and consumers do not care which.
import type { CompiledMapping } from '@flotilla/mapping';

export interface MappingListener {
  /**
   * A newer valid version is in force. Called synchronously, in version order, never twice for
   * one version. An exception thrown here is reported as a warning and does not undo the switch.
   */
  onMapping(mapping: CompiledMapping, previous: CompiledMapping | undefined): void;
  /**
   * A version was refused (invalid document, unreadable cache) and the previous one stays in
   * force. `raw` is the text as received. Without this hook the error goes to the warning sink.
   */
  onRejected?(error: Error, raw: string): void;
}

export interface MappingSource {
  /**
   * Resolves once a first mapping is in force (it has been passed to `onMapping`); rejects with
   * a FlotillaError saying why none could be had. A source is started once.
   */
  start(listener: MappingListener): Promise<void>;
  current(): CompiledMapping | undefined;
  /** Stops following; no callback runs afterwards and no timer or socket is left behind. */
  stop(): Promise<void>;
}

/** Receives what is worth logging but changes nothing in force: lost connections, failed cache writes. */
export type WarningSink = (error: Error) => void;
