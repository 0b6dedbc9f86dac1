// A mapping read from a JSON file (the full document format), optionally followed as it is
// edited. Polling (fs.watchFile) rather than fs.watch: it survives editors that replace the file
// and works on network file systems, at the cost of noticing an edit within one interval.
import { ConflictError, UnavailableError, ValidationError } from '@flotilla/errors';
import type { CompiledMapping } from '@flotilla/mapping';
import { watchFile, unwatchFile, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { emitProcessWarning } from './emit-process-warning';
import type { MappingListener, MappingSource, WarningSink } from './mapping-source';
import { compileMappingText } from './mapping-text';
import { VersionGate } from './version-gate';

export interface FileMappingSourceOptions {
  /** Reload when the file changes. An edit applies only if it raises `version`. */
  readonly watch?: boolean;
  /** Polling interval of the watch. */
  readonly intervalMs?: number;
  readonly onWarning?: WarningSink;
}

const DEFAULT_INTERVAL_MS = 1_000;

export function fileMappingSource(path: string, options: FileMappingSourceOptions = {}): MappingSource {
  const warn = options.onWarning ?? emitProcessWarning;
  let gate: VersionGate | undefined;
  let stopped = false;
  // Reloads run one after another so a slow read cannot apply after a newer one.
  let reloads: Promise<void> = Promise.resolve();

  const reload = async (): Promise<void> => {
    let raw: string;
    try {
      raw = await readFile(path, 'utf8');
    } catch (error) {
      warn(new UnavailableError(`cannot read mapping file "${path}", keeping the version in force: ${messageOf(error)}`, { cause: error }));
      return;
    }
    // A writer that does not rename into place can be caught mid-write: that read is rejected
    // and the next poll, after the write completes, delivers the whole document.
    if (!stopped) gate?.offer(raw);
  };

  const onChange = (current: Stats): void => {
    // A deleted file polls as all-zero stats; the version in force stays until it reappears.
    if (stopped || current.mtimeMs === 0) return;
    reloads = reloads.then(reload);
  };

  return {
    async start(listener: MappingListener) {
      if (gate !== undefined) throw new ConflictError('mapping source', path, 'was already started');
      gate = new VersionGate(listener, warn);
      // Watching starts before the first read so an edit made meanwhile is not missed; the gate
      // ignores the re-read of a version it already holds.
      if (options.watch === true) {
        // persistent: false — watching a file must not by itself keep the process running.
        watchFile(path, { persistent: false, interval: options.intervalMs ?? DEFAULT_INTERVAL_MS }, onChange);
      }
      try {
        const mapping = await readInitial(path);
        if (!stopped) gate.adopt(mapping);
      } catch (error) {
        // A failed start leaves nothing running: no watcher, and no reload applies later.
        stopped = true;
        unwatchFile(path, onChange);
        throw error;
      }
    },
    current: () => gate?.current(),
    async stop() {
      stopped = true;
      unwatchFile(path, onChange);
      await reloads;
    },
  };
}

async function readInitial(path: string): Promise<CompiledMapping> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    throw new UnavailableError(`cannot read mapping file "${path}": ${messageOf(error)}`, { cause: error });
  }
  try {
    return compileMappingText(raw);
  } catch (error) {
    throw new ValidationError(`mapping file "${path}" is not a valid mapping: ${messageOf(error)}`, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
