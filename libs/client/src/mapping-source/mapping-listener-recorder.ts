// Test support: a MappingListener that records what it was told and when, for assertions on
// order, timing and rejections.
import type { CompiledMapping } from '@flotilla/mapping';
import type { MappingListener } from './mapping-source';

export interface RecordedMapping {
  readonly version: number;
  readonly previous: number | undefined;
  /** performance.now() when onMapping ran. */
  readonly at: number;
  readonly mapping: CompiledMapping;
}

export interface MappingRecorder {
  readonly listener: MappingListener;
  readonly mappings: RecordedMapping[];
  readonly rejected: { readonly error: Error; readonly raw: string }[];
  readonly warnings: Error[];
  readonly onWarning: (error: Error) => void;
  versions(): number[];
}

export function recordMappings(): MappingRecorder {
  const mappings: RecordedMapping[] = [];
  const rejected: { error: Error; raw: string }[] = [];
  const warnings: Error[] = [];
  return {
    listener: {
      onMapping(mapping, previous) {
        mappings.push({ version: mapping.version, previous: previous?.version, at: performance.now(), mapping });
      },
      onRejected(error, raw) {
        rejected.push({ error, raw });
      },
    },
    mappings,
    rejected,
    warnings,
    onWarning: (error) => warnings.push(error),
    versions: () => mappings.map((entry) => entry.version),
  };
}
